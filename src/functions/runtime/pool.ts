// The warm workers: at most one per function, reused across invocations, at most
// `maxWorkers` alive on this node. Past the cap, the longest-idle worker is stopped; when
// every one is busy, the invocation waits for a slot (up to its wall clock). A change to the
// functions folder retires every worker: each finishes what it is doing, and the next
// invocation starts a fresh one on the new code.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Observer } from '../../observe/events.ts';
import type { FunctionSpec } from '../project/catalogue.ts';
import type { ImportMap } from '../project/import-map.ts';
import { FunctionWorker } from './worker.ts';

export interface PoolOptions {
  readonly denoPath: string;
  readonly runner: string;
  readonly memoryMb: number;
  readonly cpuMs: number;
  readonly maxWorkers: number;
  readonly idleMs: number;
  /** How long a stopping worker may finish its requests and background work. */
  readonly graceMs: number;
  readonly observe: Observer;
}

/** What a worker for a function is started with, asked for when one is needed. */
export interface WorkerPlan {
  readonly importMap: ImportMap;
  readonly env: Readonly<Record<string, string>>;
}

export class PoolBusyError extends Error {}

const SLOT_POLL_MS = 25;

export class WorkerPool {
  private readonly current = new Map<string, FunctionWorker>();
  private readonly starting = new Map<string, Promise<FunctionWorker>>();
  private readonly alive = new Set<FunctionWorker>();
  /** Sockets and import maps; a short path, since a Unix socket's is at most ~100 bytes. */
  private readonly dir = mkdtempSync(join(tmpdir(), 'gw-fn-'));
  private readonly idleTimer: NodeJS.Timeout;
  private closed = false;
  private serial = 0;

  constructor(private readonly o: PoolOptions) {
    this.idleTimer = setInterval(() => this.stopIdle(), Math.min(o.idleMs, 10_000));
    this.idleTimer.unref();
  }

  /** Workers alive now (starting, serving or stopping). */
  get size(): number {
    return this.alive.size;
  }

  /** A ready worker for the function, started when there is none. Throws BootFailure or PoolBusyError. */
  async acquire(spec: FunctionSpec, plan: () => WorkerPlan, deadline: number): Promise<FunctionWorker> {
    const existing = this.current.get(spec.name);
    if (existing !== undefined && !existing.draining) {
      await existing.ready;
      return existing;
    }
    let starting = this.starting.get(spec.name);
    if (starting === undefined) {
      starting = this.start(spec, plan, deadline).finally(() => this.starting.delete(spec.name));
      this.starting.set(spec.name, starting);
    }
    const worker = await starting;
    await worker.ready;
    return worker;
  }

  private async start(spec: FunctionSpec, plan: () => WorkerPlan, deadline: number): Promise<FunctionWorker> {
    await this.slot(deadline);
    if (this.closed) throw new PoolBusyError('shutting down');
    const { importMap, env } = plan();
    const id = ++this.serial;
    const mapPath = join(this.dir, `${id}.json`);
    writeFileSync(mapPath, JSON.stringify(importMap));
    const worker = new FunctionWorker({
      name: spec.name,
      entry: pathToFileURL(spec.entry).href,
      importMap: mapPath,
      socketPath: join(this.dir, `${id}.sock`),
      runner: this.o.runner,
      denoPath: this.o.denoPath,
      cwd: spec.dir,
      env: { ...env, SB_EXECUTION_ID: randomUUID() },
      memoryMb: this.o.memoryMb,
      cpuMs: this.o.cpuMs,
      writableDir: tmpdir(),
      observe: this.o.observe,
    });
    this.alive.add(worker);
    this.current.set(spec.name, worker);
    void worker.exited.then(() => {
      this.alive.delete(worker);
      if (this.current.get(spec.name) === worker) this.current.delete(spec.name);
      rmSync(mapPath, { force: true });
    });
    worker.ready.then(
      () => this.o.observe({ type: 'function-worker', name: spec.name, event: 'started', ms: Math.round(performance.now() - worker.startedAt), pid: worker.pid }),
      () => undefined,
    );
    return worker;
  }

  /** Waits until one more worker may start: stops the longest-idle one when at the cap. */
  private async slot(deadline: number): Promise<void> {
    for (;;) {
      if (this.alive.size < this.o.maxWorkers) return;
      const idle = [...this.current.values()].filter((w) => w.inFlight === 0 && !w.draining).sort((a, b) => a.lastUsed - b.lastUsed)[0];
      if (idle !== undefined) {
        await idle.stop('evicted', this.o.graceMs);
        continue;
      }
      if (Date.now() >= deadline || this.closed) throw new PoolBusyError(`all ${this.o.maxWorkers} function workers are busy`);
      await new Promise((r) => setTimeout(r, SLOT_POLL_MS));
    }
  }

  private stopIdle(): void {
    const cutoff = Date.now() - this.o.idleMs;
    for (const w of this.current.values()) if (w.inFlight === 0 && !w.draining && w.lastUsed < cutoff) void w.stop('idle', this.o.graceMs);
  }

  /** The code changed: every worker finishes what it is doing and stops; new invocations start new ones. */
  retireAll(): void {
    for (const w of this.current.values()) this.retire(w, 'changed');
    this.current.clear();
  }

  private retire(w: FunctionWorker, reason: 'changed' | 'shutdown'): void {
    w.draining = true;
    const waitIdle = async () => {
      // Invocations waiting for a booting worker get it first: they forward (and count as in
      // flight) in the same turn its readiness is announced, before the next timer here.
      await w.ready.catch(() => undefined);
      do await new Promise((r) => setTimeout(r, SLOT_POLL_MS));
      while (w.inFlight > 0 && w.alive);
      await w.stop(reason, this.o.graceMs);
    };
    void waitIdle();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.idleTimer);
    await Promise.allSettled([...this.starting.values()]);
    await Promise.all([...this.alive].map((w) => w.stop('shutdown', this.o.graceMs)));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
