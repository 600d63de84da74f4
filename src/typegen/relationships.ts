// The relationships the generator lists: each foreign key between tables, and, as PostgREST
// derives them, the same key projected onto every view (or materialized view) that selects
// all of its columns, on the referencing side, the referenced side, or both. A view column
// is traced through the views it selects from. Pure.
import type { Relationship } from './model.ts';
import { targetSources } from './view-sources.ts';

export interface ForeignKey {
  readonly constraint: string;
  readonly schema: string;
  readonly relation: string;
  readonly relationId: number;
  /** Column numbers and names, in the key's order. */
  readonly keys: readonly number[];
  readonly columns: readonly string[];
  readonly referencedSchema: string;
  readonly referencedRelation: string;
  readonly referencedId: number;
  readonly referencedKeys: readonly number[];
  readonly referencedColumns: readonly string[];
  readonly oneToOne: boolean;
}

export interface ViewQueries {
  readonly id: number;
  readonly schema: string;
  readonly name: string;
  /** Column number → name. */
  readonly columns: ReadonlyMap<number, string>;
  /** The stored query trees of the view's rules. */
  readonly queries: readonly string[];
}

interface ViewSide {
  readonly schema: string;
  readonly name: string;
  /** Per key column, the view columns that select it. */
  readonly columns: ReadonlyArray<readonly string[]>;
}

/** Every combination taking one view column per key column. */
function combinations(perKey: ReadonlyArray<readonly string[]>): string[][] {
  return perKey.reduce<string[][]>((acc, options) => acc.flatMap((prefix) => options.map((o) => [...prefix, o])), [[]]);
}

/** For each view, which view columns expose each (relation, column): directly or through other views. */
function exposures(views: readonly ViewQueries[]): Map<number, Map<string, string[]>> {
  const direct = new Map<number, Array<{ position: number; table: number; column: number }>>();
  for (const v of views) direct.set(v.id, v.queries.flatMap(targetSources));
  const out = new Map<number, Map<string, string[]>>();
  for (const v of views) {
    const byKey = new Map<string, string[]>();
    for (const entry of [...(direct.get(v.id) ?? [])].sort((a, b) => a.position - b.position)) {
      const name = v.columns.get(entry.position);
      if (name === undefined) continue; // a junk entry (sort key…), not a view column
      // Follow the column down through views of these schemas; `seen` stops a cycle.
      const seen = new Set<number>([v.id]);
      let frontier = [{ table: entry.table, column: entry.column }];
      while (frontier.length > 0) {
        const next: typeof frontier = [];
        for (const f of frontier) {
          const key = `${f.table}.${f.column}`;
          const names = byKey.get(key) ?? [];
          names.push(name);
          byKey.set(key, names);
          const inner = direct.get(f.table);
          if (inner === undefined || seen.has(f.table)) continue;
          seen.add(f.table);
          for (const e of inner) if (e.position === f.column) next.push({ table: e.table, column: e.column });
        }
        frontier = next;
      }
    }
    out.set(v.id, byKey);
  }
  return out;
}

/** The views that select every column of a key of `table`, with the view columns for each. */
function viewSides(views: readonly ViewQueries[], exposed: Map<number, Map<string, string[]>>, table: number, keys: readonly number[]): ViewSide[] {
  const out: ViewSide[] = [];
  for (const v of views) {
    const byKey = exposed.get(v.id);
    const columns = keys.map((k) => byKey?.get(`${table}.${k}`) ?? []);
    if (keys.length > 0 && columns.every((c) => c.length > 0)) out.push({ schema: v.schema, name: v.name, columns });
  }
  return out;
}

export function buildRelationships(foreignKeys: readonly ForeignKey[], views: readonly ViewQueries[]): Relationship[] {
  const exposed = exposures(views);
  const base = (fk: ForeignKey): Relationship => ({
    constraint: fk.constraint,
    schema: fk.schema,
    relation: fk.relation,
    columns: fk.columns,
    oneToOne: fk.oneToOne,
    referencedSchema: fk.referencedSchema,
    referencedRelation: fk.referencedRelation,
    referencedColumns: fk.referencedColumns,
  });
  const derived = foreignKeys.flatMap((fk) => {
    const from = viewSides(views, exposed, fk.relationId, fk.keys);
    const to = viewSides(views, exposed, fk.referencedId, fk.referencedKeys);
    const viewToTable = from.flatMap((v) => combinations(v.columns).map((columns) => ({ ...base(fk), schema: v.schema, relation: v.name, columns })));
    const tableToView = to.flatMap((v) =>
      combinations(v.columns).map((referencedColumns) => ({ ...base(fk), referencedSchema: v.schema, referencedRelation: v.name, referencedColumns })),
    );
    const viewToView = from.flatMap((f) =>
      combinations(f.columns).flatMap((columns) =>
        to.flatMap((t) =>
          combinations(t.columns).map((referencedColumns) => ({
            ...base(fk),
            schema: f.schema,
            relation: f.name,
            columns,
            referencedSchema: t.schema,
            referencedRelation: t.name,
            referencedColumns,
          })),
        ),
      ),
    );
    return [...viewToTable, ...tableToView, ...viewToView];
  });
  return [...foreignKeys.map(base), ...derived];
}
