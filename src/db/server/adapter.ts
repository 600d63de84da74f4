// Server adapter: PostgreSQL through a postgres.js pool. The pool reconnects by itself
// when the server comes back; until then every call fails with DbUnavailableError.
import postgres from 'postgres';
import { compile, sql, type Sql } from '../../lib/sql.ts';
import { callerScope } from '../caller-scope.ts';
import { DbUnavailableError, dbErrorFrom, isConnectionSqlstate } from '../errors.ts';
import type { Database, Queryable, QueryResult, Row, TransactionOptions, Unlisten } from '../port.ts';
import { parsers } from '../types.ts';

export interface ServerDatabaseOptions {
  readonly url: string;
  readonly poolSize: number;
  readonly connectTimeoutSeconds: number;
  readonly onNotice?: (message: string) => void;
}

type Client = postgres.Sql | postgres.TransactionSql;

class RolledBack {
  constructor(readonly result: unknown) {}
}

/** Driver errors become DbError / DbUnavailableError; anything else passes through unchanged. */
function translate(e: unknown): unknown {
  const db = dbErrorFrom(e);
  if (db !== undefined) {
    return isConnectionSqlstate(db.sqlstate) ? new DbUnavailableError(db.message, { cause: e }) : db;
  }
  const code = e instanceof Error ? (e as Error & { code?: unknown }).code : undefined;
  if (typeof code === 'string' && (/^E[A-Z]+$/.test(code) || code.startsWith('CONNECT'))) {
    return new DbUnavailableError(`database unreachable: ${(e as Error).message}`, { cause: e });
  }
  return e;
}

function queryable(client: Client): Queryable {
  return {
    async query<R extends Row = Row>(q: Sql): Promise<QueryResult<R>> {
      const { text, values } = compile(q);
      try {
        const res = await client.unsafe(text, values as postgres.ParameterOrJSON<never>[]);
        return { rows: [...res] as unknown as R[], rowCount: res.count ?? res.length };
      } catch (e) {
        throw translate(e);
      }
    },
    async script(text: string): Promise<void> {
      try {
        await client.unsafe(text).simple();
      } catch (e) {
        throw translate(e);
      }
    },
  };
}

// postgres.js custom types keyed by name; each maps a list of OIDs to our shared parsers.
function driverTypes(): Record<string, postgres.PostgresType> {
  const types: Record<string, postgres.PostgresType> = {};
  for (const [oid, parse] of parsers) {
    types[`oid${oid}`] = { to: oid, from: [oid], serialize: (x: unknown) => String(x), parse };
  }
  return types;
}

export function openServerDatabase(options: ServerDatabaseOptions): Database {
  const pool = postgres(options.url, {
    max: options.poolSize,
    connect_timeout: options.connectTimeoutSeconds,
    idle_timeout: 60,
    types: driverTypes(),
    onnotice: (n) => options.onNotice?.(String(n.message)),
    connection: { application_name: 'groundwork' },
  });
  const base = queryable(pool);
  let closed = false;

  return {
    mode: 'server',
    query: base.query,
    script: base.script,
    async transaction<T>(work: (tx: Queryable) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
      try {
        return (await pool.begin(opts.readOnly === true ? 'read only' : '', async (tx) => {
          const q = queryable(tx);
          if (opts.caller !== undefined || (opts.settings ?? []).length > 0) await q.query(callerScope(opts.caller, opts.settings));
          const result = await work(q);
          // postgres.js commits unless the callback throws: carry the result out in the throw.
          if (opts.rollback === true) throw new RolledBack(result);
          return result;
        })) as T;
      } catch (e) {
        if (e instanceof RolledBack) return e.result as T;
        throw translate(e);
      }
    },
    async listen(channel: string, onMessage: (payload: string) => void): Promise<Unlisten> {
      try {
        const { unlisten } = await pool.listen(channel, onMessage);
        return async () => {
          if (!closed) await unlisten();
        };
      } catch (e) {
        throw translate(e);
      }
    },
    async ping(): Promise<void> {
      if (closed) throw new DbUnavailableError('database is closed');
      await base.query(sql`select 1`);
    },
    async close(): Promise<void> {
      closed = true;
      await pool.end({ timeout: 5 });
    },
  };
}
