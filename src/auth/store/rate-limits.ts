// Fixed-window counters in _groundwork.rate_limits: one atomic upsert per hit, so nodes
// sharing the database share the limits. A request over the limit gets 429.
import { createHash } from 'node:crypto';
import { sql } from '../../lib/sql.ts';
import type { Database, Queryable } from '../../db/port.ts';
import { authErrors, type AuthError } from '../errors.ts';

const WINDOW_SECONDS = 300;
const MAX_PLAIN_KEY = 128;

/**
 * The key as stored. Keys embed what the client sent (an email, a phone, an address, a
 * factor id), so a long one, or one holding a NUL, becomes its SHA-256 after the leading
 * `action:kind:`: no input can overflow the primary key's btree entry (about 2.7 kB) or
 * hold a character PostgreSQL's text refuses. Short keys stay readable.
 */
export function storedKey(key: string): string {
  if (key.length <= MAX_PLAIN_KEY && !key.includes('\u0000')) return key;
  const prefix = /^[a-z-]{1,40}:[a-z]{1,20}:/.exec(key)?.[0] ?? '';
  return `${prefix}sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

/**
 * Counts one hit on `key` in its window (5 minutes unless given); throws `refuse()`
 * (over_request_rate_limit) past `limit` (0: no limit). Given a transaction, the count
 * stands only if it commits.
 */
export async function hit(db: Queryable, key: string, limit: number, windowSeconds = WINDOW_SECONDS, refuse: () => AuthError = authErrors.overRequestRateLimit): Promise<void> {
  if (limit <= 0) return;
  const { rows } = await db.query<{ hits: number }>(sql`
    insert into _groundwork.rate_limits as r (key, window_start, hits) values (${storedKey(key)}, now(), 1)
    on conflict (key) do update set
      hits = case when r.window_start + make_interval(secs => ${windowSeconds}) > now() then r.hits + 1 else 1 end,
      window_start = case when r.window_start + make_interval(secs => ${windowSeconds}) > now() then r.window_start else now() end
    returning hits`);
  if ((rows[0]?.hits ?? 0) > limit) throw refuse();
}

/** Throws over_request_rate_limit when `key` has already used up `limit` in its window, counting nothing. */
export async function refuseIfSpent(db: Database, key: string, limit: number): Promise<void> {
  const { rows } = await db.query<{ spent: boolean }>(sql`
    select hits >= ${limit} as spent from _groundwork.rate_limits
    where key = ${storedKey(key)} and window_start + make_interval(secs => ${WINDOW_SECONDS}) > now()`);
  if (rows[0]?.spent === true) throw authErrors.overRequestRateLimit();
}
