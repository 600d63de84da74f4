// Server adapter: PostgreSQL through a postgres.js pool. The pool reconnects by itself
// when the server comes back; until then every call fails with DbUnavailableError.
import postgres from 'postgres';
import { compile, sql, type Sql } from '../../lib/sql.ts';
import { callerScope, needsScope } from '../caller-scope.ts';
import { DbUnavailableError, dbErrorFrom, isConnectionSqlstate } from '../errors.ts';
import type { Database, Queryable, QueryResult, Row, TransactionOptions, Unlisten } from '../port.ts';
import { parsers } from '../types.ts';

export interface ServerDatabaseOptions {
  readonly url: string;
  readonly poolSize: number;
  readonly connectTimeoutSeconds: number;
  /** Shown in pg_stat_activity. */
  readonly applicationName?: string;
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

type Result = postgres.RowList<postgres.Row[]>;

/** Sends a built statement; named prepared statements are cached per connection by text. */
function send(client: Client, q: Sql): postgres.PendingQuery<postgres.Row[]> {
  const { text, values } = compile(q);
  return client.unsafe(text, values as postgres.ParameterOrJSON<never>[], { prepare: true });
}

const toResult = <R extends Row>(res: Result): QueryResult<R> => ({ rows: [...res] as unknown as R[], rowCount: res.count ?? res.length });

function queryable(client: Client): Queryable {
  return {
    async query<R extends Row = Row>(q: Sql): Promise<QueryResult<R>> {
      try {
        return toResult<R>(await send(client, q));
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
    connection: { application_name: options.applicationName ?? 'groundwork' },
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
          if (needsScope(opts)) await q.query(callerScope(opts));
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
    async pipeline(statements: readonly Sql[], opts: TransactionOptions = {}): Promise<QueryResult[]> {
      let conn: postgres.ReservedSql;
      try {
        conn = await pool.reserve();
      } catch (e) {
        throw translate(e);
      }
      try {
        // Issued without awaiting, so postgres.js writes them to the socket together. After an
        // error the rest fail ("transaction is aborted") and COMMIT turns into a rollback.
        const pending: Array<postgres.PendingQuery<postgres.Row[]>> = [conn.unsafe(opts.readOnly === true ? 'begin read only' : 'begin')];
        if (needsScope(opts)) pending.push(send(conn, callerScope(opts)));
        const first = pending.length;
        for (const s of statements) pending.push(send(conn, s));
        pending.push(conn.unsafe(opts.rollback === true ? 'rollback' : 'commit'));
        const settled = await Promise.allSettled(pending);
        const failed = settled.find((r) => r.status === 'rejected');
        if (failed !== undefined) throw translate((failed as PromiseRejectedResult).reason);
        return settled.slice(first, first + statements.length).map((r) => toResult((r as PromiseFulfilledResult<Result>).value));
      } finally {
        conn.release();
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
