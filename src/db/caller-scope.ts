// The one statement that makes a transaction run as a caller. Every data path (REST,
// realtime, functions, MCP) goes through it, so row-level security sees the same facts
// everywhere. Settings are transaction-local (`is_local = true`): nothing leaks to the
// next transaction on the same session, which matters on PGlite's single session.
import { join, sql, type Sql } from '../lib/sql.ts';
import type { Caller } from './port.ts';

/** One `select set_config(…), …`: `settings` first (search_path…), then the caller's. */
export function callerScope(caller: Caller | undefined, settings: ReadonlyArray<readonly [string, string]> = []): Sql {
  const pairs: Array<readonly [string, string]> = [...settings];
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
