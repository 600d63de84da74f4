// The batched visibility check (realtime.md §5.4, without its one query per subscriber per
// change). For each table in a batch: one query that takes the batch's primary keys as text
// and answers the 1-based positions of those the current role and claims can SELECT now;
// _groundwork.realtime_visible prepares it once and runs it as each distinct subscriber
// identity; the tables' calls are one statement. Keys are compared typed (a text cast
// inside the policy's scope would not be leakproof, and would cost an index). Pure: the
// text is built by the SQL builder from catalog names only.
import { compile, ident, join, raw, sql, type Sql } from '../../lib/sql.ts';
import type { PublishedTable } from './tables.ts';

export function visibilityQuery(table: PublishedTable): string {
  const t = ident(table.schema, table.name);
  const [single, ...more] = table.primaryKey;
  let q: Sql;
  if (single !== undefined && more.length === 0) {
    // format_type's output (quoted where needed) from the catalog, not from any request.
    const type = raw(table.columns.find((c) => c.name === single)?.sqlType ?? 'text');
    q = sql`select coalesce(jsonb_agg(k.ord), '[]'::jsonb) from unnest($1::${type}[]) with ordinality as k(v, ord) where exists (select from ${t} as t where t.${ident(single)} = k.v)`;
  } else {
    const on = join(
      table.primaryKey.map((c) => sql`t.${ident(c)} = r.${ident(c)}`),
      ' and ',
    );
    q = sql`select coalesce(jsonb_agg(k.ord), '[]'::jsonb) from unnest($1) with ordinality as k(v, ord), lateral jsonb_populate_record(null::${t}, k.v::jsonb) as r where exists (select from ${t} as t where ${on})`;
  }
  const compiled = compile(q);
  if (compiled.values.length > 0) throw new Error('a visibility query takes no values of its own');
  return compiled.text;
}

/** A row's key as the query takes it: the value's text, or the key's JSON when it has several columns. */
export function keyText(table: PublishedTable, record: Readonly<Record<string, unknown>>): string {
  if (table.primaryKey.length !== 1) return JSON.stringify(Object.fromEntries(table.primaryKey.map((c) => [c, record[c] ?? null])));
  const v = record[table.primaryKey[0] ?? ''];
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export interface Check {
  /** Answers come back under this number (unique across the statement). */
  readonly k: number;
  readonly role: string;
  readonly claims: string;
}

export interface TableChecks {
  readonly query: string;
  readonly keys: readonly string[];
  readonly checks: readonly Check[];
}

export function checkStatement(tables: readonly TableChecks[]): Sql {
  return join(
    tables.map((t) => sql`select k, visible, error from _groundwork.realtime_visible(${t.query}, ${t.keys}::text[], ${JSON.stringify(t.checks)}::jsonb)`),
    ' union all ',
  );
}
