// Relationships between tables, derived from foreign keys, and the rules PostgREST uses to
// pick one for an embed (`rel`, `rel!hint`). Pure; computed once per schema cache value.
import type { ForeignKey, Relation, SchemaCache } from '../../schema-cache/types.ts';
import { qualified } from '../../schema-cache/types.ts';

export type Cardinality = 'many-to-one' | 'one-to-many' | 'one-to-one' | 'many-to-many';

export interface QName {
  readonly schema: string;
  readonly name: string;
}

export interface Junction {
  readonly table: QName;
  readonly originConstraint: string;
  readonly targetConstraint: string;
  /** junction column → origin column */
  readonly originColumns: ReadonlyArray<readonly [string, string]>;
  /** junction column → target column */
  readonly targetColumns: ReadonlyArray<readonly [string, string]>;
}

/** A computed relationship: a function taking the origin's row and returning target rows. */
export interface ComputedVia {
  readonly schema: string;
  readonly name: string;
  /** The row type the function takes (the origin table or view). */
  readonly param: QName;
}

export interface Relationship {
  readonly cardinality: Cardinality;
  readonly origin: QName;
  readonly target: QName;
  readonly constraint: string;
  /** origin column → target column (empty for many-to-many, which joins through `junction`). */
  readonly columns: ReadonlyArray<readonly [string, string]>;
  readonly junction: Junction | undefined;
  readonly isSelf: boolean;
  readonly computed?: ComputedVia;
}

export const toOne = (r: Relationship): boolean => r.cardinality === 'many-to-one' || r.cardinality === 'one-to-one';

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
const q = (schema: string, name: string): QName => ({ schema, name });

interface Projection {
  readonly rel: QName;
  readonly cols: readonly string[];
}

/** A table's columns as the table itself shows them, and as each view exposing them all does. */
function projections(cache: SchemaCache, schema: string, table: string, cols: readonly string[]): Projection[] {
  const out: Projection[] = [{ rel: q(schema, table), cols }];
  for (const [view, sources] of cache.viewSources) {
    const mapped = cols.map((c) => [...sources].find(([, b]) => b.schema === schema && b.table === table && b.column === c)?.[0]);
    if (mapped.every((m) => m !== undefined)) {
      const v = cache.relations.get(view);
      if (v !== undefined) out.push({ rel: q(v.schema, v.name), cols: mapped as string[] });
    }
  }
  return out;
}

/** An FK as relationships both ways, between the tables and every view that exposes its columns. */
function direct(fk: ForeignKey, cache: SchemaCache): Relationship[] {
  const unique = cache.relations.get(qualified(fk.schema, fk.table))?.uniqueKeys.some((k) => sameSet(k, fk.columns)) ?? false;
  const out: Relationship[] = [];
  for (const o of projections(cache, fk.schema, fk.table, fk.columns)) {
    for (const t of projections(cache, fk.refSchema, fk.refTable, fk.refColumns)) {
      const pairs = o.cols.map((c, i) => [c, t.cols[i] as string] as const);
      const isSelf = o.rel.schema === t.rel.schema && o.rel.name === t.rel.name;
      out.push(
        { cardinality: unique ? 'one-to-one' : 'many-to-one', origin: o.rel, target: t.rel, constraint: fk.name, columns: pairs, junction: undefined, isSelf },
        { cardinality: unique ? 'one-to-one' : 'one-to-many', origin: t.rel, target: o.rel, constraint: fk.name, columns: pairs.map(([a, b]) => [b, a] as const), junction: undefined, isSelf },
      );
    }
  }
  return out;
}

/** A junction table has two FKs whose columns are all part of its primary key. */
function manyToMany(junction: Relation, fks: readonly ForeignKey[]): Relationship[] {
  const pk = junction.primaryKey;
  const usable = fks.filter((fk) => fk.columns.every((c) => pk.includes(c)));
  const out: Relationship[] = [];
  for (const a of usable) {
    for (const b of usable) {
      if (a === b) continue;
      const origin = q(a.refSchema, a.refTable);
      const target = q(b.refSchema, b.refTable);
      out.push({
        cardinality: 'many-to-many',
        origin,
        target,
        constraint: b.name,
        columns: [],
        junction: {
          table: q(junction.schema, junction.name),
          originConstraint: a.name,
          targetConstraint: b.name,
          originColumns: a.columns.map((c, i) => [c, a.refColumns[i] as string] as const),
          targetColumns: b.columns.map((c, i) => [c, b.refColumns[i] as string] as const),
        },
        isSelf: origin.schema === target.schema && origin.name === target.name,
      });
    }
  }
  return out;
}

/** f(origin_row) returns [setof] target: to-one unless it returns a set of more than one row. */
function computedRelationships(cache: SchemaCache): Relationship[] {
  const out: Relationship[] = [];
  for (const fs of cache.routines.values()) {
    for (const f of fs) {
      const ins = f.args.filter((a) => a.mode === 'in' || a.mode === 'inout' || a.mode === 'variadic');
      const param = ins[0]?.relation;
      if (ins.length !== 1 || param === null || param === undefined || f.returnsRelation === null) continue;
      const toOne = !f.returnsSet || f.rows === 1;
      out.push({
        cardinality: toOne ? 'many-to-one' : 'one-to-many',
        origin: param,
        target: f.returnsRelation,
        constraint: f.name,
        columns: [],
        junction: undefined,
        isSelf: param.schema === f.returnsRelation.schema && param.name === f.returnsRelation.name,
        computed: { schema: f.schema, name: f.name, param },
      });
    }
  }
  return out;
}

const memo = new WeakMap<SchemaCache, ReadonlyMap<string, readonly Relationship[]>>();

/** Every relationship, keyed by `schema.table` of its origin. */
export function relationshipsOf(cache: SchemaCache): ReadonlyMap<string, readonly Relationship[]> {
  const known = memo.get(cache);
  if (known !== undefined) return known;
  const all: Relationship[] = cache.foreignKeys.flatMap((fk) => direct(fk, cache));
  const byTable = new Map<string, ForeignKey[]>();
  for (const fk of cache.foreignKeys) byTable.set(qualified(fk.schema, fk.table), [...(byTable.get(qualified(fk.schema, fk.table)) ?? []), fk]);
  for (const [key, fks] of byTable) {
    const rel = cache.relations.get(key);
    if (rel !== undefined && fks.length >= 2) all.push(...manyToMany(rel, fks));
  }
  all.push(...computedRelationships(cache));
  const out = new Map<string, Relationship[]>();
  for (const r of all) out.set(qualified(r.origin.schema, r.origin.name), [...(out.get(qualified(r.origin.schema, r.origin.name)) ?? []), r]);
  // A computed relationship replaces a detected one of the same name on the same table.
  for (const [key, rels] of out) {
    const computed = new Set(rels.filter((r) => r.computed !== undefined).map((r) => r.computed?.name));
    out.set(key, rels.filter((r) => r.computed !== undefined || !computed.has(r.target.name)));
  }
  memo.set(cache, out);
  return out;
}

/** The single origin-side / target-side column of a one-column relationship. */
function singleColumns(r: Relationship): { origin: string | undefined; target: string | undefined } {
  if (r.columns.length !== 1) return { origin: undefined, target: undefined };
  const [pair] = r.columns;
  return { origin: pair?.[0], target: pair?.[1] };
}

/**
 * The relationships `target` (with an optional `!hint`) can mean from `origin`, following
 * PostgREST: a table name, an FK constraint name, or an FK column name; with a hint, the
 * table name plus a constraint, a join column or a junction table.
 */
export function matchRelationships(candidates: readonly Relationship[], target: string, hint: string | undefined, isView: (t: QName) => boolean): Relationship[] {
  return candidates.filter((r) => {
    if (r.computed !== undefined) return r.computed.name === target && hint === undefined;
    const { origin: col } = singleColumns(r);
    if (hint === undefined) {
      // A self-reference by table name means the children (one-to-many side).
      if (r.target.name === target) return !(r.isSelf && r.cardinality === 'many-to-one');
      if (r.cardinality === 'many-to-many' || isView(r.target)) return false;
      return r.constraint === target || col === target;
    }
    if (r.target.name !== target) return false;
    if (r.junction !== undefined) return r.junction.table.name === hint || r.constraint === hint || r.junction.originConstraint === hint;
    const cols = singleColumns(r);
    // On a self-reference only the children are selectable with a hint, and only by FK column.
    if (r.isSelf) return r.cardinality !== 'many-to-one' && cols.target === hint;
    return r.constraint === hint || cols.origin === hint || cols.target === hint;
  });
}

/** PostgREST's description of a candidate, for the PGRST201 details. */
export function describeRelationship(r: Relationship): { cardinality: Cardinality; embedding: string; relationship: string } {
  const cols = (pairs: ReadonlyArray<readonly [string, string]>, side: 0 | 1) => pairs.map((p) => p[side]).join(', ');
  const relationship =
    r.junction === undefined
      ? `${r.constraint} using ${r.origin.name}(${cols(r.columns, 0)}) and ${r.target.name}(${cols(r.columns, 1)})`
      : `${r.junction.table.name} using ${r.junction.originConstraint}(${cols(r.junction.originColumns, 0)}) and ${r.junction.targetConstraint}(${cols(r.junction.targetColumns, 0)})`;
  return { cardinality: r.cardinality, embedding: `${r.origin.name} with ${r.target.name}`, relationship };
}
