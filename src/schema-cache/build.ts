// Turns the introspection document into a SchemaCache. Pure: tests build caches from
// fixture JSON without a database. The document is validated, so a catalog change
// surfaces as a clear error here rather than as undefined values in a planner.
import { z } from 'zod';
import { qualified, type ArgMode, type RelationKind, type RoutineInfo, type SchemaCache, type Volatility } from './types.ts';

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
      comment: z.string().nullable(),
      nargs: z.number(),
      ndefaults: z.number(),
      args: z.array(z.object({ name: z.string(), typeOid: z.number(), type: z.string(), mode: z.enum(['i', 'o', 'b', 'v', 't']) })),
    }),
  ),
  roles: z.array(z.string()),
  schemas: z.array(z.string()),
});

export type RawSchemaCache = z.input<typeof rawCache>;

const KINDS: Record<string, RelationKind> = { r: 'table', v: 'view', m: 'materialized_view', f: 'foreign_table', p: 'partitioned_table' };
const VOLATILITY: Record<string, Volatility> = { i: 'immutable', s: 'stable', v: 'volatile' };
const MODES: Record<string, ArgMode> = { i: 'in', o: 'out', b: 'inout', v: 'variadic', t: 'table' };
// pg_relation_is_updatable() bits
const INSERT = 8;
const UPDATE = 4;
const DELETE = 16;

export function buildSchemaCache(document: unknown, loadedAt: Date = new Date()): SchemaCache {
  const raw = rawCache.parse(document);
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
      volatility: VOLATILITY[f.volatility] as Volatility,
      comment: f.comment,
      args: f.args.map((a) => ({
        name: a.name,
        type: a.type,
        typeOid: a.typeOid,
        mode: MODES[a.mode] as ArgMode,
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
    schemas: raw.schemas,
  };
}
