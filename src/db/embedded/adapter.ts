// Embedded adapter: PGlite in a worker thread, behind the same port as the server adapter.
// PGlite is one session, so every call and every transaction takes the mutex: a
// transaction owns the session from BEGIN to COMMIT/ROLLBACK. Because one session serves
// everyone, a transaction may not hold it past its deadline (the caller role's
// statement_timeout) or after its client left: the worker is then restarted (host.ts),
// which is what a statement timeout costs here.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Mutex } from '../../lib/mutex.ts';
import { compile, sql, type Sql } from '../../lib/sql.ts';
import { callerScope, needsScope } from '../caller-scope.ts';
import { PoolMeter } from '../pool-meter.ts';
import type { Database, DatabaseActivity, PoolStats, Queryable, QueryResult, Row, TransactionOptions, Unlisten } from '../port.ts';
import { ABANDONED_GRACE_MS, cancelled, WorkerHost, type ChannelListener, type Op, type Reply } from './host.ts';
import { acquireDataDirLock } from './lock.ts';
import { textParams } from './prepared-pipeline.ts';
import { sessionHolder, type SessionHolder } from './session-holder.ts';
import { templatePath } from './template.ts';

export interface EmbeddedDatabaseOptions {
  /** Groundwork's data directory; PGlite's files live in `<dataDir>/data`. */
  readonly dataDir: string;
  /** PostgreSQL's shared_buffers (`16MB`); PGlite's default (128MB) when undefined. */
  readonly sharedBuffers?: string;
  /** Where a new data directory's template is kept (template.ts); none when undefined. */
  readonly cacheDir?: string;
  /** Told each time a statement was stopped by restarting the worker, with what it cost. */
  readonly onRestart?: (info: { reason: string; ms: number }) => void;
}

// A lone UTF-16 surrogate has no UTF-8 form: PGlite would hand PostgreSQL invalid bytes,
// where postgres.js (Node's encoder) sends U+FFFD. Replacing it here gives both adapters
// the same value.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const toWellFormed = (text: string): string => text.replace(LONE_SURROGATE, '\uFFFD');
const wellFormed = (v: unknown): unknown => (typeof v === 'string' ? toWellFormed(v) : v);
const params = (values: readonly unknown[]): unknown[] => values.map(wellFormed);

/**
 * The caller's scope statement, if the transaction needs one, without statement_timeout:
 * PGlite cannot enforce it (the deadline is kept by `exclusive` below), and setting it arms
 * PostgreSQL's timer machinery on every transaction, which halved the embedded feed's
 * throughput when measured.
 */
const scopeStatement = (opts: TransactionOptions): Sql | undefined => {
  const { statementTimeoutMs: _kept, ...rest } = opts;
  return needsScope(rest) ? callerScope(rest) : undefined;
};

const holders = new WeakMap<Database, SessionHolder>();

/** The one session of an embedded database, for its PostgreSQL port; undefined for a server pool. */
export function sessionHolderOf(db: Database): SessionHolder | undefined {
  return holders.get(db);
}

export async function openEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<Database> {
  mkdirSync(options.dataDir, { recursive: true });
  const lock = acquireDataDirLock(join(options.dataDir, 'groundwork.lock'));
  let host: WorkerHost;
  try {
    host = await WorkerHost.start(
      {
        pgdata: join(options.dataDir, 'data'),
        settings: options.sharedBuffers === undefined ? {} : { shared_buffers: options.sharedBuffers },
        template: templatePath(options.cacheDir),
      },
      { onRestart: options.onRestart },
    );
  } catch (e) {
    lock.release();
    throw e;
  }
  const mutex = new Mutex();
  // Counts the waits for the session's turn (the mutex); busy and waiting are read from the mutex and the worker's queue.
  const meter = new PoolMeter(1);

  /**
   * A request that ends what it begins (one statement, or a pipeline to its COMMIT): posted
   * ahead, behind whatever was posted before it, and the session is free for the next
   * caller at once. Its deadline runs from when the worker reaches it (host.ts).
   */
  const ahead = (op: Op, opts: TransactionOptions = {}): Promise<Reply> =>
    meter.measure(async (acquired) => {
      const reply = await mutex.run(async () => {
        acquired();
        await host.room();
        // Wrapped: a promise returned from run() would be awaited while holding the session.
        return { posted: host.post(op, { limitMs: opts.statementTimeoutMs, signal: opts.signal }) };
      }, opts.signal);
      return reply.posted;
    });

  const queryOp = (q: Sql): Op => {
    const { text, values } = compile(q);
    return { op: 'query', text: toWellFormed(text), params: params(values) };
  };

  const direct: Queryable = {
    async query<R extends Row = Row>(q: Sql): Promise<QueryResult<R>> {
      const res = await host.call(queryOp(q));
      return { rows: res.rows as R[], rowCount: res.rowCount };
    },
    async script(text: string): Promise<void> {
      await host.call({ op: 'script', text });
    },
  };

  /**
   * Runs `work` holding the session, once what was posted ahead is done, stopping it at
   * the deadline or when the caller's signal fires: the worker restarts, `work`'s pending
   * call fails with 57014, and the session is free again once the new worker is open.
   */
  function exclusive<T>(work: (disarm: () => void) => Promise<T>, opts: TransactionOptions): Promise<T> {
    const { statementTimeoutMs: limit, signal } = opts;
    // Without a deadline, its requests simply queue behind those posted ahead of it.
    if (limit === undefined && signal === undefined) {
      return meter.measure((acquired) =>
        mutex.run(() => {
          acquired();
          return work(() => undefined);
        }),
      );
    }
    // The caller hears back as soon as its work fails; the session stays held until the
    // restarted worker is open, so the next holder finds it ready.
    return meter.measure((acquired) => new Promise<T>((resolve, reject) => {
      mutex
        .run(async () => {
          await host.idle(signal);
          acquired();
          let stopping: Promise<void> | undefined;
          const stop = (why: 'timeout' | 'abort') => {
            // A COMMIT under way is let finish: stopping it would leave its outcome unknown.
            if (stopping !== undefined || !host.mayStop()) return;
            stopping = host.restart(cancelled(why), why);
          };
          const began = performance.now();
          const timer = limit === undefined ? undefined : setTimeout(() => stop('timeout'), limit);
          // A restart costs everyone queued about as long as a slow query: a transaction whose
          // client left is stopped only once it has run ABANDONED_GRACE_MS (most finish first).
          let graceTimer: NodeJS.Timeout | undefined;
          const onAbort = () => {
            graceTimer = setTimeout(() => stop('abort'), Math.max(0, began + ABANDONED_GRACE_MS - performance.now()));
          };
          signal?.addEventListener('abort', onAbort, { once: true });
          // Once COMMIT is on its way, stopping could leave its outcome unknown: let it finish.
          const disarm = () => {
            clearTimeout(timer);
            clearTimeout(graceTimer);
            signal?.removeEventListener('abort', onAbort);
          };
          try {
            resolve(await work(disarm));
          } catch (e) {
            reject(e);
          } finally {
            disarm();
            if (stopping !== undefined) await stopping;
          }
        }, signal)
        .catch(reject);
    }));
  }

  /**
   * A pipeline's BEGIN, scope and statements as prepared-statement items for one exchange
   * with PGlite (prepared-pipeline.ts), if their parameters allow.
   */
  const preparedItems = (statements: readonly Sql[], opts: TransactionOptions) => {
    const items = [];
    for (const { text, params: values } of batchOf(statements, opts)) {
      const texts = textParams(values);
      if (texts === undefined) return undefined;
      items.push({ text, values: texts });
    }
    return items;
  };

  const batchOf = (statements: readonly Sql[], opts: TransactionOptions) => {
    const scope = scopeStatement(opts);
    return [
      { text: opts.readOnly === true ? 'begin read only' : 'begin', params: [] as unknown[] },
      ...(scope === undefined ? [] : [compile(scope)]),
      ...statements.map((s) => compile(s)),
    ].map((c) => ({ text: toWellFormed(c.text), params: params('values' in c ? c.values : c.params) }));
  };

  const db: Database = {
    mode: 'embedded',
    async query<R extends Row = Row>(q: Sql): Promise<QueryResult<R>> {
      const res = await ahead(queryOp(q));
      return { rows: res.rows as R[], rowCount: res.rowCount };
    },
    script: (text) => mutex.run(() => direct.script(text)),
    transaction<T>(work: (tx: Queryable) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
      return exclusive(async (disarm) => {
        let open = true;
        // Statements after the transaction ended would run outside it: refuse them.
        const finished = () => Promise.reject(new Error('transaction already finished'));
        const tx: Queryable = {
          query: <R extends Row = Row>(q: Sql) => (open ? direct.query<R>(q) : finished()),
          script: (text) => (open ? direct.script(text) : finished()),
        };
        await direct.script(opts.readOnly === true ? 'begin read only' : 'begin');
        try {
          const scope = scopeStatement(opts);
          if (scope !== undefined) await direct.query(scope);
          const result = await work(tx);
          open = false;
          disarm();
          await direct.script(opts.rollback === true ? 'rollback' : 'commit');
          return result;
        } catch (e) {
          open = false;
          await direct.script('rollback').catch(() => undefined);
          throw e;
        }
      }, opts);
    },
    pipeline(statements: readonly Sql[], opts: TransactionOptions = {}): Promise<QueryResult[]> {
      const results = (batch: readonly QueryResult[] | undefined, from: number, to: number) =>
        (batch ?? []).slice(from, to).map((r) => ({ rows: r.rows, rowCount: r.rowCount }));
      const end = opts.rollback === true ? ('rollback' as const) : ('commit' as const);
      if (opts.readOnly === true) {
        const items = preparedItems(statements, opts);
        if (items !== undefined) {
          // A read's COMMIT goes in the same protocol message: there is no outcome to guard.
          return ahead({ op: 'pipeline', items: [...items, { text: end, values: [] }] }, opts).then((reply) =>
            results(reply.batch, items.length - statements.length, items.length),
          );
        }
      }
      // Writes: BEGIN, settings, statements and COMMIT in one exchange when the parameters
      // allow, prepared (parsing and planning were half of an insert's cost here, and the
      // COMMIT a second wait for this thread's turn), posted ahead; the worker rolls back a
      // failed one itself, and its cell keeps a deadline from stopping a COMMIT under way.
      const prepared = preparedItems(statements, opts);
      if (prepared !== undefined) {
        const count = prepared.length;
        return ahead({ op: 'pipeline', items: prepared, end }, opts).then((reply) => results(reply.batch, count - statements.length, count));
      }
      // Otherwise one message up to the statements, then COMMIT.
      return exclusive(async (disarm) => {
        const items = batchOf(statements, opts);
        let reply: Reply;
        try {
          reply = await host.call({ op: 'batch', items });
        } catch (e) {
          await direct.script('rollback').catch(() => undefined);
          throw e;
        }
        disarm();
        await direct.script(end);
        return results(reply.batch, items.length - statements.length, items.length);
      }, opts);
    },
    async listen(channel: string, onMessage: (payload: string) => void, onRelisten?: () => void): Promise<Unlisten> {
      let set = host.channels.get(channel);
      if (set === undefined) {
        set = new Set();
        host.channels.set(channel, set);
        await mutex.run(() => host.call({ op: 'listen', channel }));
      }
      const listener: ChannelListener = { onMessage, onRelisten };
      set.add(listener);
      return async () => {
        set.delete(listener);
        if (set.size === 0 && host.channels.get(channel) === set) {
          host.channels.delete(channel);
          await mutex.run(() => host.call({ op: 'unlisten', channel })).catch(() => undefined);
        }
      };
    },
    async ping(): Promise<void> {
      await ahead(queryOp(sql`select 1`));
    },
    activity(): DatabaseActivity {
      // Held by a transaction between its requests, or running a request posted ahead.
      const since = mutex.heldSince;
      const held = since === undefined ? 0 : Math.round(performance.now() - since);
      return { busyMs: Math.max(held, host.busyMs), waiting: mutex.waiting + host.queued };
    },
    stats(): PoolStats {
      const busy = mutex.heldSince !== undefined || host.busyMs > 0 || host.queued > 0 ? 1 : 0;
      return { ...meter.stats(), busy, waiting: mutex.waiting + host.queued };
    },
    async close(): Promise<void> {
      // Wait for queued work, then checkpoint and close cleanly.
      await mutex
        .run(async () => {
          await host.idle();
          await host.stop();
        })
        .catch(() => undefined);
      lock.release();
    },
  };
  holders.set(db, sessionHolder(host, mutex));
  return db;
}

