// The functions bench's load and probes: one keep-alive client timing requests one after
// another, wrk for throughput (as scripts/bench.sh and ../shared/bench do), CPU and child
// processes read from /proc, and a bare Deno started by hand for the cold-start floor.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request, type OutgoingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** The nearest-rank percentile: of 20 cold starts, p95 is the 19th. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

export interface Answer {
  readonly status: number;
  readonly ms: number;
}

/** Sequential requests over one kept-alive connection, to a TCP port or a Unix socket. */
export class Client {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });

  constructor(private readonly to: { readonly port: number } | { readonly socketPath: string }) {}

  send(method: string, path: string, headers: OutgoingHttpHeaders): Promise<Answer> {
    const start = performance.now();
    return new Promise((resolve, reject) => {
      const req = request({ ...('port' in this.to ? { host: '127.0.0.1', port: this.to.port } : { socketPath: this.to.socketPath }), method, path, headers, agent: this.agent }, (res) => {
        res.resume();
        res.once('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - start }));
        res.once('error', reject);
      });
      req.once('error', reject);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface WrkResult {
  readonly rps: number;
  readonly requests: number;
  /** Non-2xx answers plus socket errors: a round with any is not a clean figure. */
  readonly failures: number;
}

let postScript: string | undefined;

export function hasWrk(): boolean {
  return spawnSync('wrk', ['--version']).error === undefined;
}

/** wrk -t1 -c<conns> -d<seconds>s with the given headers (POST by a one-line script). */
export async function wrk(url: string, o: { readonly conns: number; readonly seconds: number; readonly headers: readonly string[]; readonly post?: boolean }): Promise<WrkResult> {
  if (o.post === true && postScript === undefined) {
    postScript = join(tmpdir(), `gw-bench-fn-post-${process.pid}.lua`);
    writeFileSync(postScript, 'wrk.method = "POST"\n');
    process.once('exit', () => rmSync(postScript ?? '', { force: true }));
  }
  const args = ['-t1', `-c${o.conns}`, `-d${o.seconds}s`, ...o.headers.flatMap((h) => ['-H', h]), ...(o.post === true ? ['-s', postScript ?? ''] : []), url];
  const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`wrk exited with ${code}: ${out}`);
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    rps: num(/Requests\/sec:\s+([\d.]+)/),
    requests: num(/(\d+) requests in/),
    failures: num(/Non-2xx or 3xx responses: (\d+)/) + (socketErrors === null ? 0 : socketErrors.slice(1).reduce((a, b) => a + Number(b), 0)),
  };
}

const statFields = (pid: number): string[] | undefined => {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return [text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')), ...text.slice(text.lastIndexOf(')') + 2).split(' ')];
  } catch {
    return undefined;
  }
};

/** Deno processes the server started (its function workers), by pid. */
export function denoChildren(serverPid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => {
      const f = statFields(pid);
      return f?.[0] === 'deno' && Number(f[2]) === serverPid;
    });
}

const TICK_MS = 1000 / Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100);

/** User + system CPU of the processes so far, in ms (those gone count 0). */
export function cpuMs(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => {
    const f = statFields(pid);
    return sum + (f === undefined ? 0 : (Number(f[12]) + Number(f[13])) * TICK_MS);
  }, 0);
}

/** The Unix socket a worker serves on, from the environment it was started with. */
export function workerSocket(pid: number): string | undefined {
  const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  return environ.find((e) => e.startsWith('GROUNDWORK_FN_SOCKET='))?.slice('GROUNDWORK_FN_SOCKET='.length);
}

/**
 * The floor under a cold start: a bare `deno run` of the same code with the flags Groundwork
 * gives its workers (no import map, no runner), from spawn to the first answer over its Unix
 * socket; ms.
 */
export async function bareDenoStart(deno: string, script: string, env: Record<string, string>, memoryMb: number): Promise<number> {
  const socketPath = join(tmpdir(), `gw-bench-fn-${process.pid}.sock`);
  rmSync(socketPath, { force: true });
  const start = performance.now();
  const child = spawn(
    deno,
    ['run', '--quiet', '--no-prompt', '--no-config', '--no-lock', '--allow-net', '--allow-env', '--allow-read', '--allow-sys', `--allow-write=${tmpdir()}`, `--v8-flags=--max-old-space-size=${memoryMb}`, script, socketPath],
    { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (l) => l === 'ready' && resolve());
      void exited.then(() => reject(new Error(`bare deno exited before it was ready (${script})`)));
    });
    const client = new Client({ socketPath });
    const answer = await client.send('POST', '/', {});
    client.close();
    if (answer.status !== 200) throw new Error(`bare deno answered ${answer.status}`);
    return performance.now() - start;
  } finally {
    child.kill('SIGKILL');
    await exited;
    rmSync(socketPath, { force: true });
  }
}
