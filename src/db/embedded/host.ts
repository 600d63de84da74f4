// The worker thread that owns PGlite, seen from the main thread: requests with ids and
// their replies, NOTIFY events, and a restart. PGlite cannot be interrupted (WebAssembly
// has no signals), so a statement past its deadline is stopped by terminating the thread
// and opening the data directory again in a new one; LISTEN channels are set up anew.
import { Worker } from 'node:worker_threads';
import { DbError, DbUnavailableError } from '../errors.ts';
import { CommitGate } from './commit-gate.ts';
import type { WorkerInit, WorkerMessage, WorkerReply, WorkerRequest } from './protocol.ts';

type Pending = { resolve: (r: WorkerReply) => void; reject: (e: Error) => void };
export type Op = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;
export type Reply = Extract<WorkerReply, { ok: true }>;

/**
 * The worker's young generation, in MB. V8's default (up to 48 MB, per thread) filled up
 * under the REST bench and stayed resident: 2 MB left the process 50 MB smaller after the
 * feed (median of five alternating runs, 335 → 283 MB) for no measurable loss of rate.
 */
const WORKER_YOUNG_GENERATION_MB = 2;

// Built, the worker is worker.js beside this file. Run from sources (tsx, in development
// and tests), it is worker.ts and needs tsx's loader, which worker threads do not inherit.
function spawnWorker(init: WorkerInit): Worker {
  const options = { workerData: init, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url), options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

export interface ChannelListener {
  readonly onMessage: (payload: string) => void;
  readonly onRelisten: (() => void) | undefined;
}

export class WorkerHost {
  #worker: Worker | undefined;
  readonly #pending = new Map<number, Pending>();
  readonly #channels = new Map<string, Set<ChannelListener>>();
  /** Where the backend's bytes of a running 'wire' call go, by request id. */
  readonly #streams = new Map<number, (data: Uint8Array) => void>();
  readonly #restartListeners = new Set<() => void>();
  #nextId = 1;
  #failure: Error | undefined;
  #stopping = false;
  readonly #gate: CommitGate;

  private constructor(private readonly init: WorkerInit) {
    this.#gate = new CommitGate(init.gate);
  }

  static async start(init: Omit<WorkerInit, 'gate'>): Promise<WorkerHost> {
    const host = new WorkerHost({ ...init, gate: new SharedArrayBuffer(4) });
    await host.#spawn();
    return host;
  }

  get channels(): Map<string, Set<ChannelListener>> {
    return this.#channels;
  }

  /** `onData` receives the backend's bytes of a 'wire' call as they come. */
  async call(op: Op, onData?: (data: Uint8Array) => void): Promise<Reply> {
    if (this.#failure !== undefined || this.#worker === undefined) throw this.#failure ?? new DbUnavailableError('embedded database is closed');
    const worker = this.#worker;
    const id = this.#nextId++;
    if (onData !== undefined) this.#streams.set(id, onData);
    const gated = op.op === 'pipeline' && op.end !== undefined;
    if (gated) this.#gate.arm();
    const reply = await new Promise<WorkerReply>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ ...op, id } as WorkerRequest);
    }).finally(() => {
      this.#streams.delete(id);
      if (gated) this.#gate.reset();
    });
    if (reply.ok) return reply;
    if (reply.error.kind === 'db') throw new DbError(reply.error.fields);
    throw new Error(reply.error.message);
  }

  /**
   * May the running call be stopped now? No while the worker commits a one-exchange write;
   * yes otherwise, and that write will then not commit (commit-gate.ts).
   */
  mayStop(): boolean {
    return this.#gate.cancel();
  }

  /**
   * Stops the running statement the only way PGlite allows: the thread goes, its pending
   * calls fail with `reason`, and a new thread opens the data directory (PostgreSQL's
   * crash recovery undoes the unfinished transaction). Listeners are told to catch up.
   */
  async restart(reason: Error): Promise<void> {
    const old = this.#worker;
    this.#worker = undefined;
    this.#failAll(reason);
    for (const l of this.#restartListeners) l();
    if (old !== undefined) {
      old.removeAllListeners();
      await old.terminate();
    }
    this.#gate.reset();
    await this.#spawn();
    for (const channel of this.#channels.keys()) await this.call({ op: 'listen', channel });
    for (const set of this.#channels.values()) for (const l of set) l.onRelisten?.();
  }

  /** Told when a restart begins: the session's state (prepared statements, settings) is gone. */
  onRestart(listener: () => void): () => void {
    this.#restartListeners.add(listener);
    return () => this.#restartListeners.delete(listener);
  }

  /** Closes PGlite cleanly (checkpoint), then the thread. */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#failure === undefined && this.#worker !== undefined) {
      await this.call({ op: 'close' }).catch(() => undefined);
      await this.#worker.terminate();
    }
    this.#worker = undefined;
  }

  #failAll(e: Error): void {
    for (const p of this.#pending.values()) p.reject(e);
    this.#pending.clear();
  }

  async #spawn(): Promise<void> {
    const worker = spawnWorker(this.init);
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (m: WorkerMessage) => {
        if ('event' in m) {
          if (m.event === 'ready') resolve();
          else if (m.event === 'wire-data') this.#streams.get(m.id)?.(m.data);
          else if (m.event === 'init-failed') reject(new DbUnavailableError(`embedded database failed to open: ${m.message}`));
          else for (const l of this.#channels.get(m.channel) ?? []) l.onMessage(m.payload);
          return;
        }
        const p = this.#pending.get(m.id);
        this.#pending.delete(m.id);
        p?.resolve(m);
      });
      worker.on('error', (e) => {
        const err = new DbUnavailableError(`embedded database stopped: ${e.message}`, { cause: e });
        reject(err);
        this.#failure ??= err;
        this.#failAll(err);
      });
      worker.on('exit', () => {
        reject(new DbUnavailableError('embedded database stopped while opening'));
        if (this.#worker !== worker) return; // replaced by a restart, or never started
        const err = new DbUnavailableError('embedded database is closed');
        if (!this.#stopping) this.#failure ??= err;
        this.#failAll(err);
      });
    }).catch(async (e: unknown) => {
      await worker.terminate();
      throw e;
    });
    this.#worker = worker;
    this.#failure = undefined;
  }
}
