// The batched visibility check (realtime.md §5.4, without its one query per subscriber per
// change): for each table, one query that takes a list of primary keys and answers which of
// them the current role and claims can SELECT now; _groundwork.realtime_visible runs it once
// per distinct subscriber identity, all in one statement, and keeps each one's error its own.
// Pure: the text is built by the SQL builder from catalog names only.
import { compile, ident, join, sql, type Sql } from '../../lib/sql.ts';
import type { PublishedTable } from './tables.ts';

export function visibilityQuery(table: PublishedTable): string {
  const t = ident(table.schema, table.name);
  const on = join(
    table.primaryKey.map((c) => sql`t.${ident(c)} = k.${ident(c)}`),
    ' and ',
  );
  const q = compile(sql`select coalesce(jsonb_agg(e.ord), '[]'::jsonb) from jsonb_array_elements($1) with ordinality as e(v, ord), lateral jsonb_populate_record(null::${t}, e.v) as k where exists (select from ${t} as t where ${on})`);
  if (q.values.length > 0) throw new Error('a visibility query takes no values of its own');
  return q.text;
}

export interface Check {
  /** Answers come back under this number. */
  readonly k: number;
  /** 1-based index into the queries. */
  readonly q: number;
  readonly role: string;
  readonly claims: string;
  /** Primary keys as objects; the query answers their 1-based positions. */
  readonly keys: readonly Readonly<Record<string, unknown>>[];
}

export function checkStatement(queries: readonly string[], checks: readonly Check[]): Sql {
  return sql`select k, visible, error from _groundwork.realtime_visible(${queries}::text[], ${JSON.stringify(checks)}::jsonb)`;
}
