// One function's worker: a Deno process running deno/runner.ts, which serves the function on
// a Unix socket. This is the functions family's only I/O stage: it spawns the process, reads
// its reports (ready, boot error, console lines), forwards invocations over keep-alive HTTP,
// and stops it when it breaks a limit (heap via V8, resident memory and CPU via /proc, wall
// clock per invocation), goes idle, or its code changes.
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Observer } from '../../observe/events.ts';
import { usageOf } from './watchdog.ts';

export interface WorkerOptions {
  readonly name: string;
  /** File URL of the function's entry module. */
  readonly entry: string;
  readonly importMap: string;
  readonly socketPath: string;
  readonly runner: string;
  readonly denoPath: string;
  readonly cwd: string;
  /** The whole environment the function sees (plus the runner's own variables). */
  readonly env: Readonly<Record<string, string>>;
  readonly memoryMb: number;
  /** 0: none. */
  readonly cpuMs: number;
  readonly writableDir: string;
  readonly observe: Observer;
}

/** Why a worker stopped; `memory` and `cpu` are limits (546), the rest are not the caller's doing. */
export type StopReason = 'memory' | 'cpu' | 'timeout' | 'crashed' | 'boot-error' | 'idle' | 'changed' | 'evicted' | 'shutdown';

export class BootFailure extends Error {}

/** First npm downloads happen during a boot, so it may take longer than an invocation. */
const BOOT_TIMEOUT_MS = 120_000;
const WATCH_INTERVAL_MS = 100;
const STDERR_KEPT = 8192;
const OUT_OF_MEMORY = /out of memory|heap limit|allocation failed/i;

interface Invocation {
  cpuAtStart: number | undefined;
}

export class FunctionWorker {
  readonly ready: Promise<void>;
  readonly exited: Promise<void>;
  readonly startedAt = performance.now();
  inFlight = 0;
  lastUsed = Date.now();
  /** Set once the worker takes no more invocations. */
  draining = false;
  stopReason: StopReason | undefined;
  private readonly child: ChildProcess;
  private readonly agent = new Agent({ keepAlive: true });
  private readonly invocations = new Set<Invocation>();
  private stderrTail = '';
  private watch: NodeJS.Timeout | undefined;

  constructor(private readonly o: WorkerOptions) {
    this.child = spawn(
      o.denoPath,
      [
        'run',
        '--quiet',
        '--no-prompt',
        '--no-config',
        '--no-lock',
        `--import-map=${o.importMap}`,
        '--allow-net',
        '--allow-env',
        '--allow-read',
        '--allow-sys',
        `--allow-write=${o.writableDir}`,
        `--v8-flags=--max-old-space-size=${o.memoryMb}`,
        o.runner,
      ],
      { cwd: o.cwd, env: { ...o.env, GROUNDWORK_FN_SOCKET: o.socketPath, GROUNDWORK_FN_ENTRY: o.entry, GROUNDWORK_FN_NAME: o.name }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let bootError: string | undefined;
    let resolveReady: () => void = () => undefined;
    let rejectReady: (e: Error) => void = () => undefined;
    this.ready = new Promise<void>((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    this.ready.catch(() => undefined);
    const bootTimer = setTimeout(() => {
      rejectReady(new BootFailure(`did not start within ${BOOT_TIMEOUT_MS / 1000} s`));
      this.kill('boot-error');
    }, BOOT_TIMEOUT_MS);
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const report = parseReport(line);
      if (report?.k === 'ready') {
        clearTimeout(bootTimer);
        resolveReady();
      } else if (report?.k === 'boot-error') {
        bootError = String(report.message ?? 'unknown error');
      } else if (report?.k === 'log') {
        const level = report.level === 'debug' || report.level === 'warn' || report.level === 'error' ? report.level : 'info';
        o.observe({ type: 'function-log', name: o.name, requestId: typeof report.req === 'string' && report.req !== '' ? report.req : null, level, message: String(report.msg ?? '') });
      } else if (line.trim() !== '') {
        o.observe({ type: 'function-log', name: o.name, requestId: null, level: 'info', message: line });
      }
    });
    createInterface({ input: this.child.stderr! }).on('line', (line) => {
      this.stderrTail = (this.stderrTail + line + '\n').slice(-STDERR_KEPT);
      if (line.trim() !== '') o.observe({ type: 'function-log', name: o.name, requestId: null, level: 'error', message: line });
    });
    this.exited = new Promise<void>((resolve) => {
      this.child.once('error', (e) => {
        clearTimeout(bootTimer);
        this.stopReason ??= 'boot-error';
        rejectReady(new BootFailure(`could not start Deno (${o.denoPath}): ${e.message}`));
        resolve();
      });
      this.child.once('exit', (code, signal) => {
        clearTimeout(bootTimer);
        this.draining = true;
        if (this.watch !== undefined) clearInterval(this.watch);
        if (this.stopReason === undefined) this.stopReason = OUT_OF_MEMORY.test(this.stderrTail) ? 'memory' : bootError !== undefined ? 'boot-error' : 'crashed';
        rejectReady(new BootFailure(bootError ?? `exited before it was ready (${signal ?? `code ${code}`}): ${this.stderrTail.trim().split('\n').slice(-3).join(' ')}`));
        this.agent.destroy();
        o.observe({ type: 'function-worker', name: o.name, event: 'stopped', reason: this.stopReason, ms: Math.round(performance.now() - this.startedAt) });
        resolve();
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && this.stopReason === undefined;
  }

  /** Sends one invocation; resolves with the function's response head (its body streams on). */
  forward(method: string, path: string, headers: OutgoingHttpHeaders, body: Readable | undefined, client: Writable): Promise<IncomingMessage> {
    this.inFlight += 1;
    this.lastUsed = Date.now();
    const invocation: Invocation = { cpuAtStart: undefined };
    this.invocations.add(invocation);
    this.watchUsage();
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      this.inFlight -= 1;
      this.lastUsed = Date.now();
      this.invocations.delete(invocation);
    };
    return new Promise<IncomingMessage>((resolve, reject) => {
      let answered = false;
      const req = httpRequest({ socketPath: this.o.socketPath, method, path, headers, agent: this.agent }, (res) => {
        res.once('end', () => (answered = true));
        res.once('close', finish);
        resolve(res);
      });
      req.once('error', (e) => {
        finish();
        reject(e);
      });
      req.once('close', () => {
        if (!req.writableFinished) finish();
      });
      // The caller left before the answer was complete: the function's request is cancelled.
      client.once('close', () => {
        if (!answered && !req.destroyed) req.destroy();
      });
      if (body === undefined) req.end();
      else body.pipe(req);
    });
  }

  /** Samples CPU and memory while invocations are in flight. */
  private watchUsage(): void {
    if (this.watch !== undefined || this.pid === undefined) return;
    const pid = this.pid;
    this.watch = setInterval(() => {
      if (this.inFlight === 0) {
        clearInterval(this.watch);
        this.watch = undefined;
        return;
      }
      void usageOf(pid).then((usage) => {
        if (usage === undefined || !this.alive) return;
        if (usage.rssBytes > 2 * this.o.memoryMb * 1024 * 1024) return this.kill('memory');
        for (const inv of this.invocations) {
          inv.cpuAtStart ??= usage.cpuMs;
          if (this.o.cpuMs > 0 && usage.cpuMs - inv.cpuAtStart > this.o.cpuMs) return this.kill('cpu');
        }
        return undefined;
      });
    }, WATCH_INTERVAL_MS);
    this.watch.unref();
  }

  /** Stops at once (a limit was broken, or the grace period is over). */
  kill(reason: StopReason): void {
    this.stopReason ??= reason;
    this.draining = true;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  /** Takes no more invocations; lets the runner finish its requests and background work, for at most `graceMs`. */
  async stop(reason: StopReason, graceMs: number): Promise<void> {
    this.draining = true;
    if (!this.alive) return this.exited;
    this.stopReason = reason;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.kill(reason), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

function parseReport(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{"k":')) return undefined;
  try {
    const v = JSON.parse(line) as unknown;
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
