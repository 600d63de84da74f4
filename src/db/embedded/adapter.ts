// Embedded adapter: PGlite in a worker thread, behind the same port as the server adapter.
// PGlite is one session, so every call and every transaction takes the mutex: a
// transaction owns the session from BEGIN to COMMIT/ROLLBACK.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Mutex } from '../../lib/mutex.ts';
import { compile, sql, type Sql } from '../../lib/sql.ts';
import { callerScope, needsScope } from '../caller-scope.ts';
import { DbError, DbUnavailableError } from '../errors.ts';
import type { Database, Queryable, QueryResult, Row, TransactionOptions, Unlisten } from '../port.ts';
import { acquireDataDirLock } from './lock.ts';
import type { WorkerInit, WorkerMessage, WorkerReply, WorkerRequest } from './protocol.ts';

export interface EmbeddedDatabaseOptions {
  /** Groundwork's data directory; PGlite's files live in `<dataDir>/data`. */
  readonly dataDir: string;
}

type Pending = { resolve: (r: WorkerReply) => void; reject: (e: Error) => void };
type Op = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

// Built, the worker is worker.js beside this file. Run from sources (tsx, in development
// and tests), it is worker.ts and needs tsx's loader, which worker threads do not inherit.
function spawnWorker(init: WorkerInit): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url), { workerData: init });
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData: init });
}

export async function openEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<Database> {
  mkdirSync(options.dataDir, { recursive: true });
  const lock = acquireDataDirLock(join(options.dataDir, 'groundwork.lock'));
  const init: WorkerInit = { pgdata: join(options.dataDir, 'data') };
  const worker = spawnWorker(init);
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: string) => void>>();
  let nextId = 1;
  let failure: Error | undefined;

  const failAll = (e: Error) => {
    failure ??= e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };

  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (m: WorkerMessage) => {
      if ('event' in m) {
        if (m.event === 'ready') resolve();
        else if (m.event === 'init-failed') reject(new DbUnavailableError(`embedded database failed to open: ${m.message}`));
        else for (const fn of listeners.get(m.channel) ?? []) fn(m.payload);
        return;
      }
      const p = pending.get(m.id);
      pending.delete(m.id);
      p?.resolve(m);
    });
    worker.on('error', (e) => {
      const err = new DbUnavailableError(`embedded database stopped: ${e.message}`, { cause: e });
      reject(err);
      failAll(err);
    });
    worker.on('exit', () => failAll(new DbUnavailableError('embedded database is closed')));
  });
  try {
    await ready;
  } catch (e) {
    await worker.terminate();
    lock.release();
    throw e;
  }

  async function call(op: Op): Promise<Extract<WorkerReply, { ok: true }>> {
    if (failure !== undefined) throw failure;
    const id = nextId++;
    const reply = await new Promise<WorkerReply>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...op, id } as WorkerRequest);
    });
    if (reply.ok) return reply;
    if (reply.error.kind === 'db') throw new DbError(reply.error.fields);
    throw new Error(reply.error.message);
  }

  // Unserialized access: only for use while the caller holds the mutex.
  const direct: Queryable = {
    async query<R extends Row = Row>(q: Sql): Promise<QueryResult<R>> {
      const { text, values } = compile(q);
      const res = await call({ op: 'query', text, params: values });
      return { rows: res.rows as R[], rowCount: res.rowCount };
    },
    async script(text: string): Promise<void> {
      await call({ op: 'script', text });
    },
  };
  const mutex = new Mutex();

  return {
    mode: 'embedded',
    query: <R extends Row = Row>(q: Sql) => mutex.run(() => direct.query<R>(q)),
    script: (text) => mutex.run(() => direct.script(text)),
    transaction<T>(work: (tx: Queryable) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
      return mutex.run(async () => {
        let open = true;
        // Statements after the transaction ended would run outside it: refuse them.
        const guard = (fn: (text: string) => Promise<void>) => (text: string) =>
          open ? fn(text) : Promise.reject(new Error('transaction already finished'));
        const tx: Queryable = {
          query: <R extends Row = Row>(q: Sql) => (open ? direct.query<R>(q) : Promise.reject(new Error('transaction already finished'))),
          script: guard(direct.script),
        };
        await direct.script(opts.readOnly === true ? 'begin read only' : 'begin');
        try {
          if (needsScope(opts)) await direct.query(callerScope(opts));
          const result = await work(tx);
          open = false;
          await direct.script(opts.rollback === true ? 'rollback' : 'commit');
          return result;
        } catch (e) {
          open = false;
          await direct.script('rollback').catch(() => undefined);
          throw e;
        }
      });
    },
    pipeline(statements: readonly Sql[], opts: TransactionOptions = {}): Promise<QueryResult[]> {
      // One message to the worker: BEGIN, settings, statements; then COMMIT or ROLLBACK.
      return mutex.run(async () => {
        const items = [
          { text: opts.readOnly === true ? 'begin read only' : 'begin', params: [] as unknown[] },
          ...(needsScope(opts) ? [compile(callerScope(opts))] : []),
          ...statements.map((s) => compile(s)),
        ].map((c) => ({ text: c.text, params: [...('values' in c ? c.values : c.params)] }));
        let reply: Extract<WorkerReply, { ok: true }>;
        try {
          reply = await call({ op: 'batch', items });
        } catch (e) {
          await direct.script('rollback').catch(() => undefined);
          throw e;
        }
        await direct.script(opts.rollback === true ? 'rollback' : 'commit');
        return (reply.batch ?? []).slice(items.length - statements.length).map((r) => ({ rows: r.rows, rowCount: r.rowCount }));
      });
    },
    async listen(channel: string, onMessage: (payload: string) => void): Promise<Unlisten> {
      let set = listeners.get(channel);
      if (set === undefined) {
        set = new Set();
        listeners.set(channel, set);
        await mutex.run(() => call({ op: 'listen', channel }));
      }
      set.add(onMessage);
      return async () => {
        set.delete(onMessage);
        if (set.size === 0 && listeners.get(channel) === set) {
          listeners.delete(channel);
          if (failure === undefined) await mutex.run(() => call({ op: 'unlisten', channel }));
        }
      };
    },
    async ping(): Promise<void> {
      await mutex.run(() => direct.query(sql`select 1`));
    },
    async close(): Promise<void> {
      if (failure === undefined) {
        // Wait for queued work, then checkpoint and close cleanly.
        await mutex.run(() => call({ op: 'close' })).catch(() => undefined);
        await worker.terminate();
      }
      lock.release();
    },
  };
}
