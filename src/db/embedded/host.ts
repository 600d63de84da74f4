// The worker thread that owns PGlite, seen from the main thread: requests with ids and
// their replies, NOTIFY events, and a restart. Requests are posted ahead, in order: the
// worker runs them one after another without waiting for this thread's next turn (at 300
// inserts/s this thread's turns had left the worker idle 40 % of the time). PGlite cannot
// be interrupted (WebAssembly has no signals), so a request past its deadline is stopped by
// terminating the thread and opening the data directory again in a new one; the requests
// posted behind it, which had not started, are posted again to the new thread, and LISTEN
// channels are set up anew.
import type { Worker } from 'node:worker_threads';
import { AbortedWhileWaiting } from '../../lib/mutex.ts';
import { DbError, DbUnavailableError } from '../errors.ts';
import { JobCells } from './job-cells.ts';
import type { WorkerInit, WorkerMessage, WorkerOp, WorkerReply } from './protocol.ts';
import { spawnWorker } from './spawn.ts';

export type Op = WorkerOp;
export type Reply = Extract<WorkerReply, { ok: true }>;

/** Requests posted and not yet answered, at most: each has a cell (job-cells.ts). */
const CELLS = 64;
/** Cells kept for what `call` posts (LISTEN, a turn of a port client) when requests fill the rest. */
const RESERVED = 8;

/** How long a request whose client left may still run before it is stopped. */
export const ABANDONED_GRACE_MS = 1000;

export const cancelled = (why: 'timeout' | 'abort'): DbError =>
  new DbError({ sqlstate: '57014', message: why === 'timeout' ? 'canceling statement due to statement timeout' : 'canceling statement due to user request' });

export interface ChannelListener {
  readonly onMessage: (payload: string) => void;
  readonly onRelisten: (() => void) | undefined;
}

/** What stops a posted request: its deadline, counted from when it reaches the worker's head, and its caller leaving. */
export interface PostOptions {
  readonly limitMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  /** The backend's bytes of a 'wire' call, as they come. */
  readonly onData?: (data: Uint8Array) => void;
}

interface Job {
  readonly id: number;
  readonly slot: number;
  readonly op: Op;
  readonly options: PostOptions;
  readonly resolve: (r: WorkerReply) => void;
  readonly reject: (e: Error) => void;
  /** When it became the head (the request the worker runs), or undefined while behind. */
  headSince?: number;
  abandoned?: boolean;
  timers?: NodeJS.Timeout[];
  unlisten?: () => void;
}

/** Why the worker restarts: a deadline, a caller that left, or a port client's cancel request. */
export type RestartReason = 'timeout' | 'abort' | 'cancel';

export interface HostOptions {
  /** Told each time a request was stopped by restarting the worker, with what it cost. */
  readonly onRestart?: ((info: { reason: RestartReason; ms: number }) => void) | undefined;
}

export class WorkerHost {
  #worker: Worker | undefined;
  /** Posted (or, during a restart, waiting to be posted) and unanswered, oldest first. */
  #jobs: Job[] = [];
  readonly #cells: JobCells;
  readonly #freeSlots: number[] = [];
  /** Slots of requests cancelled before they started: free once the worker has passed them. */
  readonly #skipped = new Map<number, number>();
  readonly #channels = new Map<string, Set<ChannelListener>>();
  readonly #restartListeners = new Set<() => void>();
  #roomWaiters: Array<() => void> = [];
  #idleWaiters: Array<() => void> = [];
  #nextId = 1;
  #failure: Error | undefined;
  #stopping = false;
  #restarting: Promise<void> | undefined;

  private constructor(
    private readonly init: WorkerInit,
    private readonly options: HostOptions,
  ) {
    this.#cells = new JobCells(init.cells);
    for (let slot = CELLS - 1; slot >= 0; slot--) this.#freeSlots.push(slot);
  }

  static async start(init: Omit<WorkerInit, 'cells'>, options: HostOptions = {}): Promise<WorkerHost> {
    const host = new WorkerHost({ ...init, cells: JobCells.create(CELLS).buffer }, options);
    host.#worker = await host.#spawn();
    return host;
  }

  get channels(): Map<string, Set<ChannelListener>> {
    return this.#channels;
  }

  /** Requests posted behind the one the worker runs. */
  get queued(): number {
    return Math.max(0, this.#jobs.length - 1);
  }

  /** How long the worker has run its current request, in ms (0 when idle). */
  get busyMs(): number {
    const since = this.#jobs[0]?.headSince;
    return since === undefined ? 0 : Math.round(performance.now() - since);
  }

  /**
   * Resolves once a request can be posted ahead: a few cells stay kept for `call`. One
   * caller at a time (the adapter's mutex), which then posts at once.
   */
  room(): Promise<void> {
    return this.#room(RESERVED);
  }

  #room(kept: number): Promise<void> {
    if (this.#freeSlots.length > kept) return Promise.resolve();
    return new Promise((resolve) => this.#roomWaiters.push(() => (this.#freeSlots.length > kept ? resolve() : void this.#room(kept).then(resolve))));
  }

  /**
   * Resolves once every request posted has been answered and no restart is under way;
   * rejects with AbortedWhileWaiting if `signal` fires first (its caller left).
   */
  idle(signal?: AbortSignal): Promise<void> {
    if (this.#jobs.length === 0 && this.#restarting === undefined) return Promise.resolve();
    if (signal?.aborted === true) return Promise.reject(new AbortedWhileWaiting());
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.#idleWaiters = this.#idleWaiters.filter((w) => w !== waiter);
        reject(new AbortedWhileWaiting());
      };
      const waiter = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#idleWaiters.push(waiter);
    });
  }

  /** A request with no deadline of its own. */
  async call(op: Op, onData?: (data: Uint8Array) => void): Promise<Reply> {
    await this.#room(0);
    return this.post(op, onData === undefined ? {} : { onData });
  }

  /**
   * Posts `op` behind every request posted before it. Call it after `room()` resolved; it
   * posts synchronously, so callers that post in turn keep their order.
   */
  async post(op: Op, options: PostOptions): Promise<Reply> {
    if (this.#failure !== undefined || (this.#worker === undefined && this.#restarting === undefined)) throw this.#failure ?? new DbUnavailableError('embedded database is closed');
    const slot = this.#freeSlots.pop();
    if (slot === undefined) throw new Error('no room to post a request: await room() first');
    const reply = await new Promise<WorkerReply>((resolve, reject) => {
      const job: Job = { id: this.#nextId++, slot, op, options, resolve, reject };
      this.#jobs.push(job);
      this.#watchAbort(job);
      this.#send(job);
      if (this.#jobs.length === 1 && this.#worker !== undefined) this.#becameHead(job);
    });
    if (reply.ok) return reply;
    if (reply.error.kind === 'db') throw new DbError(reply.error.fields);
    throw new Error(reply.error.message);
  }

  /**
   * May the request the worker runs be stopped now? No while it commits or is done; yes
   * otherwise, and it will then not commit (job-cells.ts). Yes when nothing runs.
   */
  mayStop(): boolean {
    const head = this.#jobs[0];
    return head === undefined || this.#cells.cancel(head.slot) !== 'finishing';
  }

  /**
   * Stops the running request the only way PGlite allows: the thread goes, the request it
   * ran fails with `reason`, and a new thread opens the data directory (PostgreSQL's crash
   * recovery undoes the unfinished transaction). Requests posted behind it had not started:
   * they go to the new thread. Listeners are told to catch up, and HostOptions.onRestart
   * with `why` and what the restart cost. A restart already under way is the one returned.
   */
  restart(reason: Error, why: RestartReason): Promise<void> {
    if (this.#restarting !== undefined) return this.#restarting;
    const started = performance.now();
    const restarting = this.#restartNow(reason).finally(() => {
      this.#restarting = undefined;
      this.#checkIdle();
    });
    this.#restarting = restarting;
    return restarting.then(() => this.options.onRestart?.({ reason: why, ms: Math.round(performance.now() - started) }));
  }

  async #restartNow(reason: Error): Promise<void> {
    const old = this.#worker;
    this.#worker = undefined;
    const head = this.#jobs.shift();
    if (head !== undefined) this.#finish(head, reason);
    // Whatever the old thread was to skip is gone with it.
    for (const slot of this.#skipped.values()) this.#release(slot);
    this.#skipped.clear();
    for (const l of this.#restartListeners) l();
    if (old !== undefined) {
      old.removeAllListeners();
      await old.terminate();
    }
    try {
      this.#worker = await this.#spawn();
    } catch (e) {
      this.#fail(e instanceof Error ? e : new Error(String(e)));
      throw e;
    }
    // LISTEN goes first (while a cell is free), then what waited, in its order.
    const waiting = this.#jobs;
    this.#jobs = [];
    const listens = [...this.#channels.keys()].map((channel) => (this.#freeSlots.length > 0 ? this.post({ op: 'listen', channel }, {}) : this.call({ op: 'listen', channel })));
    for (const job of waiting) {
      this.#jobs.push(job);
      this.#send(job);
    }
    const first = this.#jobs[0];
    if (first !== undefined && first.headSince === undefined) this.#becameHead(first);
    await Promise.all(listens);
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

  #send(job: Job): void {
    this.#cells.queue(job.slot);
    this.#worker?.postMessage({ ...job.op, id: job.id, slot: job.slot });
  }

  #becameHead(job: Job): void {
    job.headSince = performance.now();
    const { limitMs } = job.options;
    if (limitMs !== undefined) this.#addTimer(job, limitMs, 'timeout');
    if (job.abandoned === true) this.#addTimer(job, ABANDONED_GRACE_MS, 'abort');
  }

  #addTimer(job: Job, ms: number, why: 'timeout' | 'abort'): void {
    (job.timers ??= []).push(setTimeout(() => this.#stopHead(job, why), Math.max(0, ms)));
  }

  /**
   * A caller that left: its request is dropped if the worker has not started it, and
   * otherwise stopped once it has run ABANDONED_GRACE_MS (most finish first, and a
   * restart costs everyone queued about as long as a slow query).
   */
  #watchAbort(job: Job): void {
    const { signal } = job.options;
    if (signal === undefined) return;
    const onAbort = () => {
      job.abandoned = true;
      const at = this.#jobs.indexOf(job);
      if (at < 0) return;
      if (job.headSince !== undefined) return this.#addTimer(job, job.headSince + ABANDONED_GRACE_MS - performance.now(), 'abort');
      if (this.#cells.cancel(job.slot) !== 'unstarted') return; // started already: stopped once it is the head
      this.#jobs.splice(at, 1);
      this.#skip(job);
      this.#finish(job, new AbortedWhileWaiting());
    };
    if (signal.aborted) job.abandoned = true;
    else {
      signal.addEventListener('abort', onAbort, { once: true });
      job.unlisten = () => signal.removeEventListener('abort', onAbort);
    }
  }

  #stopHead(job: Job, why: 'timeout' | 'abort'): void {
    if (this.#jobs[0] !== job || this.#restarting !== undefined) return;
    const found = this.#cells.cancel(job.slot);
    if (found === 'finishing') return; // a COMMIT under way is let finish: stopping it would leave its outcome unknown
    if (found === 'unstarted') {
      this.#jobs.shift();
      this.#skip(job);
      this.#finish(job, cancelled(why));
      this.#nextHead();
      return;
    }
    this.restart(cancelled(why), why).catch(() => undefined);
  }

  /** A request cancelled before it started: the worker still passes it, and answers; its slot is free after that. */
  #skip(job: Job): void {
    this.#skipped.set(job.id, job.slot);
  }

  #finish(job: Job, outcome: WorkerReply | Error): void {
    for (const t of job.timers ?? []) clearTimeout(t);
    job.unlisten?.();
    if (!this.#skipped.has(job.id)) this.#release(job.slot);
    if (outcome instanceof Error) job.reject(outcome);
    else job.resolve(outcome);
  }

  #release(slot: number): void {
    this.#cells.free(slot);
    this.#freeSlots.push(slot);
    this.#roomWaiters.shift()?.();
  }

  #nextHead(): void {
    const head = this.#jobs[0];
    if (head !== undefined) this.#becameHead(head);
    this.#checkIdle();
  }

  #checkIdle(): void {
    if (this.#jobs.length > 0 || this.#restarting !== undefined) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }

  #onReply(m: WorkerReply): void {
    const skipped = this.#skipped.get(m.id);
    if (skipped !== undefined) {
      this.#skipped.delete(m.id);
      this.#release(skipped);
      return;
    }
    // Replies come in the order requests were posted: this is the head's.
    const at = this.#jobs.findIndex((j) => j.id === m.id);
    if (at < 0) return;
    const [job] = this.#jobs.splice(at, 1);
    if (job === undefined) return;
    this.#finish(job, m);
    if (at === 0) this.#nextHead();
  }

  #fail(e: Error): void {
    this.#failure ??= e;
    const jobs = this.#jobs;
    this.#jobs = [];
    for (const job of jobs) this.#finish(job, e);
    this.#checkIdle();
  }

  /** A new thread with PGlite open; the caller makes it the worker (so it posts in order at once). */
  async #spawn(): Promise<Worker> {
    const worker = spawnWorker(this.init);
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (m: WorkerMessage) => {
        if (!('event' in m)) return this.#onReply(m);
        if (m.event === 'ready') resolve();
        else if (m.event === 'wire-data') this.#jobs.find((j) => j.id === m.id)?.options.onData?.(m.data);
        else if (m.event === 'init-failed') reject(new DbUnavailableError(`embedded database failed to open: ${m.message}`));
        else for (const l of this.#channels.get(m.channel) ?? []) l.onMessage(m.payload);
      });
      worker.on('error', (e) => {
        const err = new DbUnavailableError(`embedded database stopped: ${e.message}`, { cause: e });
        reject(err);
        this.#fail(err);
      });
      worker.on('exit', () => {
        reject(new DbUnavailableError('embedded database stopped while opening'));
        if (this.#worker !== worker) return; // replaced by a restart, or never started
        const err = new DbUnavailableError('embedded database is closed');
        if (this.#stopping) {
          const jobs = this.#jobs;
          this.#jobs = [];
          for (const job of jobs) this.#finish(job, err);
          this.#checkIdle();
        } else this.#fail(err);
      });
    }).catch(async (e: unknown) => {
      await worker.terminate();
      throw e;
    });
    this.#failure = undefined;
    return worker;
  }
}
