// The one statement that makes a transaction run as a caller. Every data path (REST,
// realtime, functions, MCP) goes through it, so row-level security sees the same facts
// everywhere. Settings are transaction-local (`is_local = true`): nothing leaks to the
// next transaction on the same session, which matters on PGlite's single session.
import { join, sql, type Sql } from '../lib/sql.ts';
import type { TransactionOptions } from './port.ts';

/** Whether a transaction with these options starts with a scope statement. */
export function needsScope(o: TransactionOptions): boolean {
  return o.sessionUser !== undefined || o.caller !== undefined || o.statementTimeoutMs !== undefined || (o.settings ?? []).length > 0;
}

/**
 * One `select set_config(…), …`: the session user first (the caller's role is checked
 * against it, as against a server pool's login role), then `settings` (search_path…), then
 * the caller's role and request facts.
 */
export function callerScope(o: TransactionOptions): Sql {
  const { caller, settings = [] } = o;
  const pairs: Array<readonly [string, string]> = [];
  if (o.sessionUser !== undefined) pairs.push(['session_authorization', o.sessionUser]);
  pairs.push(...settings);
  if (o.statementTimeoutMs !== undefined) pairs.push(['statement_timeout', `${o.statementTimeoutMs}ms`]);
  if (caller !== undefined) {
    pairs.push(
      ['role', caller.role],
      ['request.jwt.claims', JSON.stringify(caller.claims)],
      ['request.method', caller.method],
      ['request.path', caller.path],
      ['request.headers', JSON.stringify(caller.headers)],
      ['request.cookies', JSON.stringify(caller.cookies)],
    );
  }
  return sql`select ${join(pairs.map(([name, value]) => sql`set_config(${name}, ${value}, true)`))}`;
}
