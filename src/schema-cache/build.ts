// Turns the introspection document into a SchemaCache. Pure: tests build caches from
// fixture JSON without a database. The document is validated, so a catalog change
// surfaces as a clear error here rather than as undefined values in a planner.
import { z } from 'zod';
import { viewColumnSources } from './view-sources.ts';
import { parseDurationMs } from './duration.ts';
import { qualified, type ArgMode, type BaseColumn, type RelationKind, type RoutineInfo, type SchemaCache, type Volatility } from './types.ts';

const column = z.object({
  name: z.string(),
  position: z.number(),
  type: z.string(),
  typeOid: z.number(),
  udtName: z.string(),
  nullable: z.boolean(),
  default: z.string().nullable(),
  identity: z.string(),
  generated: z.string(),
  enumValues: z.array(z.string()).nullable(),
  comment: z.string().nullable(),
});

const rawCache = z.object({
  relations: z.array(
    z.object({
      oid: z.number(),
      viewAction: z.string().nullable(),
      schema: z.string(),
      name: z.string(),
      relkind: z.enum(['r', 'v', 'm', 'f', 'p']),
      rlsEnabled: z.boolean(),
      comment: z.string().nullable(),
      updatable: z.number(),
      columns: z.array(column),
      primaryKey: z.array(z.string()),
      uniqueKeys: z.array(z.array(z.string())),
    }),
  ),
  foreignKeys: z.array(
    z.object({
      name: z.string(),
      schema: z.string(),
      table: z.string(),
      refSchema: z.string(),
      refTable: z.string(),
      columns: z.array(z.string()),
      refColumns: z.array(z.string()),
    }),
  ),
  routines: z.array(
    z.object({
      schema: z.string(),
      name: z.string(),
      volatility: z.enum(['i', 's', 'v']),
      returnsSet: z.boolean(),
      returnType: z.string(),
      returnTypeOid: z.number(),
      returnsRelation: z.object({ schema: z.string(), name: z.string() }).nullable(),
      // Absent from snapshots written before it was read.
      returnColumns: z.array(z.object({ name: z.string(), type: z.string(), typeOid: z.number() })).default([]),
      comment: z.string().nullable(),
      nargs: z.number(),
      ndefaults: z.number(),
      rows: z.number(),
      args: z.array(
        z.object({
          name: z.string(),
          typeOid: z.number(),
          type: z.string(),
          mode: z.enum(['i', 'o', 'b', 'v', 't']),
          relation: z.object({ schema: z.string(), name: z.string() }).nullable(),
        }),
      ),
    }),
  ),
  roles: z.array(z.string()),
  schemas: z.array(z.string()),
  statementTimeouts: z.record(z.string(), z.string()).default({}),
});

export type RawSchemaCache = z.input<typeof rawCache>;

const KINDS: Record<string, RelationKind> = { r: 'table', v: 'view', m: 'materialized_view', f: 'foreign_table', p: 'partitioned_table' };
const VOLATILITY: Record<string, Volatility> = { i: 'immutable', s: 'stable', v: 'volatile' };
const MODES: Record<string, ArgMode> = { i: 'in', o: 'out', b: 'inout', v: 'variadic', t: 'table' };
// pg_relation_is_updatable() bits
const INSERT = 8;
const UPDATE = 4;
const DELETE = 16;

/**
 * For each view, the base-table column behind each of its columns, followed through views
 * of views. Columns computed in the view have no entry.
 */
function resolveViewSources(raw: RawCache): Map<string, Map<string, BaseColumn>> {
  const byOid = new Map(raw.relations.map((r) => [r.oid, r]));
  const direct = new Map(raw.relations.filter((r) => r.viewAction !== null).map((r) => [r.oid, viewColumnSources(r.viewAction as string)]));
  const resolve = (oid: number, attnum: number, hops: number): BaseColumn | undefined => {
    const rel = byOid.get(oid);
    const column = rel?.columns.find((c) => c.position === attnum)?.name;
    if (rel === undefined || column === undefined) return undefined;
    const viaView = direct.get(oid);
    if (viaView === undefined) return { schema: rel.schema, table: rel.name, column };
    const next = viaView.find((s) => s.column === column);
    return next === undefined || hops > 16 ? undefined : resolve(next.table, next.attnum, hops + 1);
  };
  const out = new Map<string, Map<string, BaseColumn>>();
  for (const [oid, sources] of direct) {
    const rel = byOid.get(oid);
    if (rel === undefined) continue;
    const map = new Map<string, BaseColumn>();
    for (const s of sources) {
      const base = resolve(s.table, s.attnum, 0);
      if (base !== undefined) map.set(s.column, base);
    }
    out.set(qualified(rel.schema, rel.name), map);
  }
  return out;
}

/** A view's keys: a base table key whose columns the view exposes, by their view names. */
function viewKeys(keys: readonly (readonly string[])[], base: string, sources: ReadonlyMap<string, BaseColumn>): string[][] {
  const out: string[][] = [];
  for (const key of keys) {
    const mapped = key.map((col) => [...sources].find(([, b]) => qualified(b.schema, b.table) === base && b.column === col)?.[0]);
    if (mapped.every((m) => m !== undefined)) out.push(mapped as string[]);
  }
  return out;
}

type RawCache = z.output<typeof rawCache>;

export function buildSchemaCache(document: unknown, loadedAt: Date = new Date()): SchemaCache {
  const raw = rawCache.parse(document);
  const viewSources = resolveViewSources(raw);
  const relations = new Map(
    raw.relations.map((r) => [
      qualified(r.schema, r.name),
      {
        schema: r.schema,
        name: r.name,
        kind: KINDS[r.relkind] as RelationKind,
        comment: r.comment,
        rlsEnabled: r.rlsEnabled,
        insertable: (r.updatable & INSERT) !== 0,
        updatable: (r.updatable & UPDATE) !== 0,
        deletable: (r.updatable & DELETE) !== 0,
        primaryKey: r.primaryKey,
        uniqueKeys: r.uniqueKeys,
        columns: r.columns.map((c) => ({
          name: c.name,
          position: c.position,
          type: c.type,
          typeOid: c.typeOid,
          udtName: c.udtName,
          nullable: c.nullable,
          default: c.default,
          identity: c.identity === 'a' ? ('always' as const) : c.identity === 'd' ? ('by_default' as const) : null,
          generated: c.generated !== '',
          enumValues: c.enumValues,
          comment: c.comment,
        })),
      },
    ]),
  );
  // Views take the keys of the base table they expose (for PUT, upserts, Location, one-to-one).
  for (const [key, sources] of viewSources) {
    const view = relations.get(key);
    const bases = new Set([...sources.values()].map((b) => qualified(b.schema, b.table)));
    if (view === undefined || bases.size === 0) continue;
    const primary: string[][] = [];
    const unique: string[][] = [];
    for (const base of bases) {
      const b = relations.get(base);
      if (b === undefined) continue;
      primary.push(...viewKeys([b.primaryKey], base, sources).filter((k) => k.length > 0));
      unique.push(...viewKeys(b.uniqueKeys, base, sources));
    }
    relations.set(key, { ...view, primaryKey: primary[0] ?? [], uniqueKeys: unique });
  }
  const routines = new Map<string, RoutineInfo[]>();
  for (const f of raw.routines) {
    // Only the trailing `ndefaults` input arguments have defaults.
    const inputs = f.args.filter((a) => a.mode === 'i' || a.mode === 'b' || a.mode === 'v');
    const firstDefault = inputs.length - f.ndefaults;
    const info: RoutineInfo = {
      schema: f.schema,
      name: f.name,
      returnType: f.returnType,
      returnTypeOid: f.returnTypeOid,
      returnsSet: f.returnsSet,
      returnsRelation: f.returnsRelation,
      returnColumns: f.returnColumns,
      volatility: VOLATILITY[f.volatility] as Volatility,
      comment: f.comment,
      rows: f.rows,
      args: f.args.map((a) => ({
        name: a.name,
        type: a.type,
        typeOid: a.typeOid,
        mode: MODES[a.mode] as ArgMode,
        relation: a.relation,
        hasDefault: inputs.indexOf(a) >= firstDefault && inputs.includes(a),
      })),
    };
    const key = qualified(f.schema, f.name);
    routines.set(key, [...(routines.get(key) ?? []), info]);
  }
  return {
    loadedAt: loadedAt.toISOString(),
    relations,
    foreignKeys: raw.foreignKeys,
    routines,
    roles: new Set(raw.roles),
    statementTimeouts: new Map(Object.entries(raw.statementTimeouts).flatMap(([role, text]) => {
      const ms = parseDurationMs(text);
      return ms === undefined ? [] : [[role, ms] as const];
    })),
    viewSources,
    schemas: raw.schemas,
  };
}
