// Measures what docs/benchmarks.md reports for start-up: the time from launching
// `node dist/cli.js start` to the first 200 from /health, and the resident memory (RSS)
// after 3 s idle. Cases: embedded with a new data directory (initdb, bootstrap, blog
// migrations and seed), embedded reopening it, and server mode on a PostgreSQL cluster
// this script starts, beside the hand-written Fastify baseline of ../shared/bench on the
// same cluster, for a ratio. Prints the median of RUNS runs (default 3).
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startPgCluster } from '../test/support/pg-cluster.ts';

const root = join(import.meta.dirname, '..');
const runs = Number(process.env.RUNS ?? 3);
const secret = 'measure-secret-measure-secret-measure-secret';

function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return Math.round(kb / 102.4) / 10;
}

async function once(env: Record<string, string>, args: string[]): Promise<{ ms: number; rss: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let ms = -1;
  for (let i = 0; i < 1200 && ms < 0; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status === 200, () => false);
    if (ok) ms = Math.round(performance.now() - started);
    else await new Promise((r) => setTimeout(r, 25));
  }
  await new Promise((r) => setTimeout(r, 3000));
  const rss = rssMb(child.pid as number);
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGTERM');
  await exited;
  if (ms < 0) throw new Error('server never became healthy');
  return { ms, rss };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
function report(name: string, results: Array<{ ms: number; rss: number }>) {
  process.stdout.write(`${name.padEnd(44)} ${String(median(results.map((r) => r.ms))).padStart(6)} ms  ${String(median(results.map((r) => r.rss))).padStart(6)} MB   (runs: ${results.map((r) => r.ms).join(', ')} ms)\n`);
}

process.stdout.write(`${'case'.padEnd(44)} ${'start→healthy'.padStart(9)}  ${'idle RSS'.padStart(9)}\n`);
const project = mkdtempSync(join(tmpdir(), 'gw-measure-project-'));
cpSync(join(root, 'examples/blog/supabase'), join(project, 'supabase'), { recursive: true });
const groundwork = [join(root, 'dist/cli.js'), 'start', '--project-dir', project];
// The baseline imports fastify, postgres and jose: run a copy from inside our tree so they
// resolve from our node_modules (shared/bench itself is read-only and has none installed).
const cache = join(root, 'node_modules/.cache/groundwork-bench');
mkdirSync(cache, { recursive: true });
copyFileSync(join(root, '../shared/bench/baseline-fastify.mjs'), join(cache, 'baseline-fastify.mjs'));

const fresh: Array<{ ms: number; rss: number }> = [];
const reopen: Array<{ ms: number; rss: number }> = [];
for (let i = 0; i < runs; i++) {
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-measure-data-'));
  fresh.push(await once({ GROUNDWORK_DATA_DIR: dataDir }, groundwork));
  reopen.push(await once({ GROUNDWORK_DATA_DIR: dataDir }, groundwork));
  rmSync(dataDir, { recursive: true, force: true });
}
report('embedded, new data directory (initdb+seed)', fresh);
report('embedded, existing data directory', reopen);

const cluster = await startPgCluster();
try {
  const server: Array<{ ms: number; rss: number }> = [];
  for (let i = 0; i < runs; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'gw-measure-data-'));
    server.push(await once({ GROUNDWORK_DATA_DIR: dataDir, DATABASE_URL: cluster.url, JWT_SECRET: secret }, groundwork));
    rmSync(dataDir, { recursive: true, force: true });
  }
  report('server PostgreSQL (already migrated after run 1)', server);
  const baseline: Array<{ ms: number; rss: number }> = [];
  for (let i = 0; i < runs; i++) baseline.push(await once({ DATABASE_URL: cluster.url, JWT_SECRET: secret }, [join(cache, 'baseline-fastify.mjs')]));
  report('shared/bench baseline-fastify.mjs', baseline);
  const ratio = (f: (r: { ms: number; rss: number }) => number) => (median(server.map(f)) / median(baseline.map(f))).toFixed(2);
  process.stdout.write(`ratios, server mode / Fastify baseline: start→healthy ${ratio((r) => r.ms)}x, idle RSS ${ratio((r) => r.rss)}x\n`);
} finally {
  cluster.destroy();
  rmSync(project, { recursive: true, force: true });
}
