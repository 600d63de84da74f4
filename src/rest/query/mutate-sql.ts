// Stage 3 for writes: INSERT/UPDATE/DELETE as the pgrst_source CTE. The payload travels
// as one JSON parameter and becomes rows with json_to_recordset, typed by the columns' own
// types, so PostgreSQL does every JSON → value conversion. Column types and default
// expressions come from the catalog (the schema cache), never from the request.
import { empty, ident, join, raw, sql, type Sql } from '../../lib/sql.ts';
import type { Column, Relation } from '../../schema-cache/types.ts';
import { conditionSql } from './read-sql.ts';
import type { Condition } from '../plan/types.ts';

export interface BodySource {
  readonly columns: readonly Column[];
  readonly rowsJson: string;
  /** missing=default: absent keys take the column's default expression. */
  readonly missingDefault: boolean;
}

/** `pgrst_body AS (…)`: the payload as typed rows. */
export function bodyCte(b: BodySource): Sql {
  if (b.columns.length === 0) return sql`pgrst_body AS (SELECT FROM json_array_elements(${b.rowsJson}::json))`;
  const record = join(b.columns.map((c) => sql`${ident(c.name)} ${raw(c.type)}`));
  const withDefaults = b.columns.filter((c) => c.default !== null);
  if (!b.missingDefault || withDefaults.length === 0) {
    return sql`pgrst_body AS (SELECT * FROM json_to_recordset(${b.rowsJson}::json) AS _(${record}))`;
  }
  // Each row's keys win over an object of the defaults (PostgREST's jsonb_build_object || row).
  const defaults = join(withDefaults.map((c) => sql`${c.name}::text, ${raw(c.default as string)}`));
  return sql`pgrst_body AS (SELECT * FROM jsonb_to_recordset((SELECT jsonb_agg(jsonb_build_object(${defaults}) || elem) FROM jsonb_array_elements(${b.rowsJson}::jsonb) AS elem)) AS _(${record}))`;
}

export interface InsertOptions {
  readonly relation: Relation;
  readonly columns: readonly Column[];
  readonly conflict: { readonly target: readonly string[]; readonly action: 'merge' | 'ignore' } | undefined;
  /** PUT: only rows whose key columns equal these URL values. */
  readonly keyFilter?: ReadonlyArray<readonly [string, string]>;
  /** Report which rows were inserted (not updated by ON CONFLICT), for the 201/200 choice. */
  readonly markInserted: boolean;
}

export function insertSql(o: InsertOptions): Sql {
  const table = ident(o.relation.schema, o.relation.name);
  const names = o.columns.map((c) => ident(c.name));
  const cols = names.length === 0 ? empty : sql`(${join(names)})`;
  const picked = names.length === 0 ? empty : join(o.columns.map((c) => ident('pgrst_body', c.name)));
  const where = o.keyFilter === undefined ? empty : sql` WHERE ${join(o.keyFilter.map(([k, v]) => sql`${ident('pgrst_body', k)} = ${v}`), ' AND ')}`;
  let conflict = empty;
  if (o.conflict !== undefined) {
    const target = join(o.conflict.target.map((c) => ident(c)));
    conflict =
      o.conflict.action === 'ignore' || o.columns.length === 0
        ? sql` ON CONFLICT (${target}) DO NOTHING`
        : sql` ON CONFLICT (${target}) DO UPDATE SET ${join(o.columns.map((c) => sql`${ident(c.name)} = EXCLUDED.${ident(c.name)}`))}`;
  }
  const marker = o.markInserted ? sql`, (xmax = 0) AS pgrst_inserted` : empty;
  return sql`INSERT INTO ${table}${cols} SELECT ${picked} FROM pgrst_body${where}${conflict} RETURNING ${table}.*${marker}`;
}

export function updateSql(relation: Relation, alias: string, set: readonly Column[], defaults: readonly Column[], conditions: readonly Condition[]): Sql {
  const assignments = [
    ...set.map((c) => sql`${ident(c.name)} = ${ident('pgrst_body', c.name)}`),
    ...defaults.map((c) => sql`${ident(c.name)} = DEFAULT`),
  ];
  const where = conditions.length === 0 ? empty : sql` WHERE ${join(conditions.map((c) => conditionSql(alias, c)), ' AND ')}`;
  return sql`UPDATE ${ident(relation.schema, relation.name)} AS ${ident(alias)} SET ${join(assignments)} FROM pgrst_body${where} RETURNING ${ident(alias)}.*`;
}

export function deleteSql(relation: Relation, alias: string, conditions: readonly Condition[]): Sql {
  const where = conditions.length === 0 ? empty : sql` WHERE ${join(conditions.map((c) => conditionSql(alias, c)), ' AND ')}`;
  return sql`DELETE FROM ${ident(relation.schema, relation.name)} AS ${ident(alias)}${where} RETURNING ${ident(alias)}.*`;
}
