// The batched visibility check (realtime.md §5.4, without its one query per subscriber per
// change). For each table in a batch: one query that takes the batch's primary keys as text
// and answers which of them the current role and claims can SELECT now;
// _groundwork.realtime_visible prepares it once and runs it as each distinct subscriber
// identity; the tables' calls are one statement. Keys are compared typed (a text cast
// inside the policy's scope would not be leakproof, and would cost an index). A one-column
// integer, text or uuid key is looked up with `= any($1)` and the visible keys come back as
// JSON, which reads as the change's record does (both are to_jsonb of the stored value);
// other keys come back as their positions in $1. Pure: the text is built by the SQL builder from
// catalog names only.
import { compile, ident, join, raw, sql, type Sql } from '../../lib/sql.ts';
import type { PublishedTable } from './tables.ts';

/**
 * Key types whose JSON reads the same in any session (no time zone, float or style
 * setting in it): the keys the query answers with are compared as text to the record's.
 */
const STABLE_JSON = new Set(['int2', 'int4', 'int8', 'text', 'varchar', 'uuid']);

/** Whether a table's check answers keys (a one-column key of a stable type) rather than positions. */
export function answersKeys(table: PublishedTable): boolean {
  const [single, ...more] = table.primaryKey;
  return single !== undefined && more.length === 0 && STABLE_JSON.has(table.columns.find((c) => c.name === single)?.type ?? '');
}

export function visibilityQuery(table: PublishedTable): string {
  const t = ident(table.schema, table.name);
  const [single, ...more] = table.primaryKey;
  // format_type's output (quoted where needed) from the catalog, not from any request.
  const type = raw(table.columns.find((c) => c.name === single)?.sqlType ?? 'text');
  let q: Sql;
  if (single !== undefined && answersKeys(table)) {
    // Measured on PGlite: a quarter cheaper than the semi-join below.
    q = sql`select coalesce(jsonb_agg(t.${ident(single)}), '[]'::jsonb) from ${t} as t where t.${ident(single)} = any($1::${type}[])`;
  } else if (single !== undefined && more.length === 0) {
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

const valueText = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** A row's key as the query takes it: the value's text, or the key's JSON when it has several columns. */
export function keyText(table: PublishedTable, record: Readonly<Record<string, unknown>>): string {
  if (table.primaryKey.length !== 1) return JSON.stringify(Object.fromEntries(table.primaryKey.map((c) => [c, record[c] ?? null])));
  return valueText(record[table.primaryKey[0] ?? '']);
}

/**
 * The 1-based positions (in the keys given, by key text) of what one check answered:
 * visible keys (answersKeys) or positions. A key that reads back otherwise than it went in
 * is left out: unseen, never shown wrongly.
 */
export function visiblePositions(table: PublishedTable, positions: ReadonlyMap<string, number>, visible: readonly unknown[]): Set<number> {
  if (!answersKeys(table)) return new Set(visible.filter((v): v is number => typeof v === 'number'));
  const out = new Set<number>();
  for (const v of visible) {
    const position = positions.get(valueText(v));
    if (position !== undefined) out.add(position);
  }
  return out;
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

/**
 * Every table's check in one statement. The keys go as a JSON array, not an array value:
 * with text values only, the embedded database runs it prepared, in one exchange.
 */
export function checkStatement(tables: readonly TableChecks[]): Sql {
  return join(
    tables.map((t) => sql`select k, visible, error from _groundwork.realtime_visible(${t.query}, array(select jsonb_array_elements_text(${JSON.stringify(t.keys)}::jsonb)), ${JSON.stringify(t.checks)}::jsonb)`),
    ' union all ',
  );
}
