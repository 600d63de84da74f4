// "Rows unchanged": a count and a hash of every row of every table the fuzzer's callers
// could reach, read through the admin connection (which row-level security does not hide).
import type { Queryable } from '../../src/db/port.ts';
import { ident, sql } from '../../src/lib/sql.ts';

// Schemas left out, and why: `auth` is written by design (sign-ups create users, sign-ins
// sessions and refresh tokens, the admin API users); `_groundwork` holds the outbox of emails
// and SMS those requests queue and the rate-limit counters; the rest are the system's own.
const EXCLUDED = ['auth', '_groundwork', 'supabase_migrations', 'pg_catalog', 'information_schema', 'pg_toast'];

export type Snapshot = ReadonlyMap<string, string>;

export async function snapshotRows(db: Queryable): Promise<Snapshot> {
  const { rows: tables } = await db.query<{ s: string; t: string }>(
    sql`select table_schema as s, table_name as t from information_schema.tables
        where table_type = 'BASE TABLE' and not (table_schema = any(${EXCLUDED})) order by 1, 2`,
  );
  const out = new Map<string, string>();
  for (const { s, t } of tables) {
    const { rows } = await db.query<{ n: string; h: string | null }>(sql`select count(*)::text as n, md5(string_agg(x::text, '|' order by x::text)) as h from ${ident(s, t)} x`);
    out.set(`${s}.${t}`, `${rows[0]?.n ?? '?'} rows, md5 ${rows[0]?.h ?? '-'}`);
  }
  return out;
}

/** Tables whose rows differ (or appeared, or vanished) between two snapshots. */
export function changedTables(before: Snapshot, after: Snapshot): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((n) => before.get(n) !== after.get(n)).map((n) => `${n}: ${before.get(n) ?? 'absent'} → ${after.get(n) ?? 'absent'}`);
}
