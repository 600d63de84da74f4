// The one statement that makes a transaction run as a caller. Every data path (REST,
// realtime, functions, MCP) goes through it, so row-level security sees the same facts
// everywhere. Settings are transaction-local (`is_local = true`): nothing leaks to the
// next transaction on the same session, which matters on PGlite's single session.
import { sql, type Sql } from '../lib/sql.ts';
import type { Caller } from './port.ts';

export function callerScope(caller: Caller): Sql {
  return sql`select set_config('role', ${caller.role}, true), set_config('request.jwt.claims', ${JSON.stringify(caller.claims)}, true), set_config('request.headers', ${JSON.stringify(caller.headers)}, true), set_config('request.method', ${caller.method}, true), set_config('request.path', ${caller.path}, true), set_config('request.cookies', ${JSON.stringify(caller.cookies)}, true)`;
}
