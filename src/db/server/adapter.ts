// Server adapter: PostgreSQL through a postgres.js pool. The pool reconnects by itself
// when the server comes back; until then every call fails with DbUnavailableError.
import postgres from 'postgres';
import { compile, sql, type Sql } from '../../lib/sql.ts';
import { callerScope, needsScope } from '../caller-scope.ts';
import { DbUnavailableError, dbErrorFrom, isConnectionSqlstate, isStaleStatement } from '../errors.ts';
import { PoolMeter } from '../pool-meter.ts';
import type { Database, Queryable, QueryResult, Row, TransactionOptions, Unlisten } from '../port.ts';
import { parsers } from '../types.ts';
import { OutageGuard } from './outage.ts';

export interface ServerDatabaseOptions {
  readonly url: string;
  readonly poolSize: number;
  readonly connectTimeoutSeconds: number;
  /** Shown in pg_stat_activity. */
  readonly applicationName?: string;
  readonly onNotice?: (message: string) => void;
  /** Told when the database becomes unreachable (true) and reachable again (false). */
  readonly onReachability?: (down: boolean) => void;
}

/** While the database is unreachable, how often one probe tries a new connection. */
const PROBE_INTERVAL_MS = 200;

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

/**
 * A transaction in one round trip: BEGIN, `build`'s queries and its COMMIT written together.
 * Our patch to postgres.js (patches/postgres+*.patch) adds it; BEGIN waits for and holds a
 * connection as any pool query does, so an outage fails it rather than leaving it waiting.
 */
type OneTrip = (
  options: string,
  build: (tx: postgres.Sql) => Array<postgres.PendingQuery<postgres.Row[]>>,
) => Promise<Array<PromiseSettledResult<Result>>>;

function patchedPipeline(pool: postgres.Sql): OneTrip | undefined {
  const fn = (pool as unknown as { pipeline?: unknown }).pipeline;
  return typeof fn === 'function' ? (fn as OneTrip) : undefined;
}

const toResult = <R extends Row>(res: Result): QueryResult<R> => ({ rows: [...res] as unknown as R[], rowCount: res.count ?? res.length });

/** The caller's scope statement (when the options need one), then the statements, as queries on `tx`. */
function queriesOf(tx: Client, statements: readonly Sql[], opts: TransactionOptions): Array<postgres.PendingQuery<postgres.Row[]>> {
  const list = needsScope(opts) ? [send(tx, callerScope(opts))] : [];
  for (const s of statements) list.push(send(tx, s));
  return list;
}

/** The `count` statements' results from `first` on, or the first failure (the later ones only say the transaction was aborted). */
function resultsOf(settled: ReadonlyArray<PromiseSettledResult<Result>>, first: number, count: number): QueryResult[] {
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
  return settled.slice(first, first + count).map((r) => toResult((r as PromiseFulfilledResult<Result>).value));
}

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

/**
 * Seconds before a connection that failed tries again. postgres.js grows this to 20 s
 * after a few failures, so once a long outage ended the first requests waited seconds for
 * a retry; capped here, a request finds the database within a fraction of a second of its
 * return, while the jitter keeps a pool from reconnecting in lockstep.
 */
export function reconnectDelay(retries: number): number {
  return Math.min(0.02 * 2 ** retries, RECONNECT_CAP_S) * (0.5 + Math.random() / 2);
}
const RECONNECT_CAP_S = 0.25;

export function openServerDatabase(options: ServerDatabaseOptions): Database {
  const pool = postgres(options.url, {
    max: options.poolSize,
    connect_timeout: options.connectTimeoutSeconds,
    backoff: reconnectDelay,
    idle_timeout: 60,
    types: driverTypes(),
    onnotice: (n) => options.onNotice?.(String(n.message)),
    connection: { application_name: options.applicationName ?? 'groundwork' },
  });
  const base = queryable(pool);
  const meter = new PoolMeter(options.poolSize);
  let closed = false;
  const guard = new OutageGuard({
    probe: async () => {
      await pool.unsafe('select 1');
    },
    intervalMs: PROBE_INTERVAL_MS,
    ...(options.onReachability === undefined ? {} : { onChange: options.onReachability }),
  });

  async function transaction<T>(work: (tx: Queryable) => Promise<T>, opts: TransactionOptions, acquired: () => void): Promise<T> {
    try {
      return (await pool.begin(opts.readOnly === true ? 'read only' : '', async (tx) => {
        acquired();
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
  }

  const oneTrip = patchedPipeline(pool);

  async function pipeline(statements: readonly Sql[], opts: TransactionOptions, acquired: () => void): Promise<QueryResult[]> {
    if (oneTrip === undefined) return pipelineInBegin(statements, opts, acquired);
    const first = needsScope(opts) ? 1 : 0;
    try {
      for (let attempt = 0; ; attempt++) {
        // After an error the rest fail ("transaction is aborted") and COMMIT rolls back.
        // The patch calls this once BEGIN has a connection: the wait ends there.
        const settled = await oneTrip(opts.readOnly === true ? 'read only' : '', (tx) => {
          acquired();
          return [...queriesOf(tx, statements, opts), tx.unsafe(opts.rollback === true ? 'rollback' : 'commit')];
        });
        try {
          return resultsOf(settled, first, statements.length);
        } catch (reason) {
          // A stale prepared statement: the driver forgot it and the transaction rolled
          // back, so once more prepares it anew.
          if (attempt > 0 || !isStaleStatement(dbErrorFrom(reason))) throw reason;
        }
      }
    } catch (e) {
      throw translate(e);
    }
  }

  /** Three round trips (BEGIN, the statements together, COMMIT): for a driver without our patch. */
  async function pipelineInBegin(statements: readonly Sql[], opts: TransactionOptions, acquired: () => void): Promise<QueryResult[]> {
    try {
      return await pool.begin(opts.readOnly === true ? 'read only' : '', async (tx) => {
        acquired();
        const settled = await Promise.allSettled(queriesOf(tx, statements, opts));
        const results = resultsOf(settled, needsScope(opts) ? 1 : 0, statements.length);
        if (opts.rollback === true) throw new RolledBack(results);
        return results;
      });
    } catch (e) {
      if (e instanceof RolledBack) return e.result as QueryResult[];
      throw translate(e);
    }
  }

  return {
    mode: 'server',
    query: (q) => guard.run(() => meter.busy(() => base.query(q))),
    script: (text) => guard.run(() => meter.busy(() => base.script(text))),
    transaction: <T>(work: (tx: Queryable) => Promise<T>, opts: TransactionOptions = {}): Promise<T> => guard.run(() => meter.measure((acquired) => transaction(work, opts, acquired))),
    pipeline: (statements, opts = {}) => guard.run(() => meter.measure((acquired) => pipeline(statements, opts, acquired))),
    async listen(channel: string, onMessage: (payload: string) => void, onRelisten?: () => void): Promise<Unlisten> {
      // postgres.js calls `onlisten` after the first LISTEN and after each one that follows
      // a reconnect of its listening connection.
      let listened = false;
      const onlisten = () => {
        if (listened) onRelisten?.();
        listened = true;
      };
      try {
        const { unlisten } = await pool.listen(channel, onMessage, onlisten);
        return async () => {
          if (!closed) await unlisten();
        };
      } catch (e) {
        throw translate(e);
      }
    },
    stats: () => meter.stats(),
    async ping(): Promise<void> {
      if (closed) throw new DbUnavailableError('database is closed');
      await guard.run(() => base.query(sql`select 1`));
    },
    async close(): Promise<void> {
      closed = true;
      guard.stop();
      await pool.end({ timeout: 5 });
    },
  };
}
