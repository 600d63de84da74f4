// Measures what docs/benchmarks.md reports for start-up: the time from launching
// `node dist/cli.js start` to the first 200 from /health, the CPU time the process had used
// by then, and the resident memory (RSS) after 3 s idle. Cases: embedded with a new data
// directory (the first one runs initdb and keeps a template, the others are copied from it;
// bootstrap, blog migrations and seed), embedded reopening it, and server mode on a
// PostgreSQL cluster this script starts, taking turns with the hand-written Fastify
// baseline of ../shared/bench on the same cluster, for a ratio. Prints the median of RUNS
// runs (default 3). Groundwork logs at info so its schema-cache observations can be read:
// the load at start per case and, on the server, a reload after DDL. Embedded runs take
// turns with the floor under them, PGlite alone behind node:http (scripts/pglite-floor.mjs).
// CASES=server (or embedded) runs only those cases.
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { freePort, startPgCluster } from '../test/support/pg-cluster.ts';

const root = join(import.meta.dirname, '..');
const runs = Number(process.env.RUNS ?? 3);
const cases = process.env.CASES ?? 'embedded,server';
const secret = 'measure-secret-measure-secret-measure-secret';

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in 10 ms ticks
}

function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return Math.round(kb / 102.4) / 10;
}

interface Run {
  readonly ms: number;
  /** CPU time (user + system) the process had used when /health first answered 200. */
  readonly cpu: number;
  readonly rss: number;
  /** Groundwork's schema-cache-loaded observations: at start, and after the DDL `afterIdle` ran. */
  readonly cacheMs?: number;
  readonly reloadMs?: number;
}

/** The `ms` of the first schema-cache-loaded log line with this reason. */
function cacheLoad(log: string, reason: string): number | undefined {
  for (const line of log.split('\n')) {
    if (!line.startsWith('{')) continue;
    const o = JSON.parse(line) as { msg?: string; reason?: string; ms?: number };
    if (o.msg === 'schema-cache-loaded' && o.reason === reason) return o.ms;
  }
  return undefined;
}

async function once(env: Record<string, string>, args: string[], afterIdle?: () => Promise<void>): Promise<Run> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  let ms = -1;
  let cpu = -1;
  for (let i = 0; i < 1200 && ms < 0; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status === 200, () => false);
    if (ok) {
      ms = Math.round(performance.now() - started);
      cpu = cpuMs(child.pid as number);
    } else await new Promise((r) => setTimeout(r, 25));
  }
  await new Promise((r) => setTimeout(r, 3000));
  const rss = rssMb(child.pid as number);
  if (afterIdle !== undefined) {
    await afterIdle();
    for (let i = 0; i < 200 && cacheLoad(log, 'notify') === undefined; i++) await new Promise((r) => setTimeout(r, 25));
  }
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGTERM');
  await exited;
  if (ms < 0) throw new Error('server never became healthy');
  const cacheMs = cacheLoad(log, 'start');
  const reloadMs = cacheLoad(log, 'notify');
  return { ms, cpu, rss, ...(cacheMs === undefined ? {} : { cacheMs }), ...(reloadMs === undefined ? {} : { reloadMs }) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const cacheLines: string[] = [];
function report(name: string, results: Run[]) {
  const m = (f: (r: Run) => number) => String(median(results.map(f))).padStart(6);
  process.stdout.write(`${name.padEnd(44)} ${m((r) => r.ms)} ms  ${m((r) => r.cpu)} ms  ${m((r) => r.rss)} MB   (runs: ${results.map((r) => r.ms).join(', ')} ms)\n`);
  const loads = results.flatMap((r) => r.cacheMs ?? []);
  const reloads = results.flatMap((r) => r.reloadMs ?? []);
  if (loads.length > 0) {
    const reload = reloads.length > 0 ? `, reload after DDL ${median(reloads)} ms (runs: ${reloads.join(', ')})` : '';
    cacheLines.push(`  ${name}: at start ${median(loads)} ms (runs: ${loads.join(', ')})${reload}`);
  }
}

process.stdout.write(`${'case'.padEnd(44)} ${'start→healthy'.padStart(9)}  ${'CPU then'.padStart(9)}  ${'idle RSS'.padStart(9)}\n`);
const project = mkdtempSync(join(tmpdir(), 'gw-measure-project-'));
cpSync(join(root, 'examples/blog/supabase'), join(project, 'supabase'), { recursive: true });
const groundwork = [join(root, 'dist/cli.js'), 'start', '--project-dir', project];
// The baseline imports fastify, postgres and jose: run a copy from inside our tree so they
// resolve from our node_modules (shared/bench itself is read-only and has none installed).
const cache = join(root, 'node_modules/.cache/groundwork-bench');
mkdirSync(cache, { recursive: true });
copyFileSync(join(root, '../shared/bench/baseline-fastify.mjs'), join(cache, 'baseline-fastify.mjs'));

// The embedded database's PostgreSQL port on a free port: 54322 may be taken on a shared machine.
// The initialised-database template in a cache directory of its own: the first new data
// directory initialises it (reported alone), the others are copied from it, as on a
// developer's machine after the first project.
const templateCache = mkdtempSync(join(tmpdir(), 'gw-measure-cache-'));
const embedded = (dataDir: string) => ({ GROUNDWORK_DATA_DIR: dataDir, GROUNDWORK_DB_PORT: '0', GROUNDWORK_CACHE_DIR: templateCache });
const fresh: Run[] = [];
const reopen: Run[] = [];
const floor: Run[] = [];
if (cases.includes('embedded')) {
  const first = mkdtempSync(join(tmpdir(), 'gw-measure-data-'));
  report('embedded, first new data directory (initdb)', [await once(embedded(first), groundwork)]);
  rmSync(first, { recursive: true, force: true });
  for (let i = 0; i < runs; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'gw-measure-data-'));
    fresh.push(await once(embedded(dataDir), groundwork));
    reopen.push(await once(embedded(dataDir), groundwork));
    // The floor, in turn with Groundwork on the same database (scripts/pglite-floor.mjs).
    floor.push(await once({}, [join(root, 'scripts/pglite-floor.mjs'), join(dataDir, 'data')]));
    rmSync(dataDir, { recursive: true, force: true });
  }
  report('embedded, new data directory (template+seed)', fresh);
  report('embedded, existing data directory', reopen);
  report('floor: PGlite alone behind node:http', floor);
  const ratio = (f: (r: Run) => number) => (median(reopen.map(f)) / median(floor.map(f))).toFixed(2);
  process.stdout.write(`ratios, embedded (existing) / floor: start→healthy ${ratio((r) => r.ms)}x, CPU then ${ratio((r) => r.cpu)}x, idle RSS ${ratio((r) => r.rss)}x\n`);
}

const cluster = cases.includes('server') ? await startPgCluster() : undefined;
try {
  if (cluster !== undefined) {
    // DDL a developer might run: the event trigger's NOTIFY makes every server reload.
    const ddl = async () => {
      const db = postgres(cluster.url, { max: 1, onnotice: () => undefined });
      await db.unsafe('create table public.measure_reload (id int primary key); drop table public.measure_reload;');
      await db.end();
    };
    // Groundwork and the baseline take turns, so that a load from elsewhere on the machine
    // falls on both sides of the ratio.
    const server: Run[] = [];
    const baseline: Run[] = [];
    for (let i = 0; i < runs; i++) {
      const dataDir = mkdtempSync(join(tmpdir(), 'gw-measure-data-'));
      server.push(await once({ GROUNDWORK_DATA_DIR: dataDir, DATABASE_URL: cluster.url, JWT_SECRET: secret }, groundwork, ddl));
      rmSync(dataDir, { recursive: true, force: true });
      baseline.push(await once({ DATABASE_URL: cluster.url, JWT_SECRET: secret }, [join(cache, 'baseline-fastify.mjs')]));
    }
    report('server PostgreSQL (already migrated after run 1)', server);
    report('shared/bench baseline-fastify.mjs', baseline);
    const ratio = (f: (r: Run) => number) => (median(server.map(f)) / median(baseline.map(f))).toFixed(2);
    process.stdout.write(`ratios, server mode / Fastify baseline: start→healthy ${ratio((r) => r.ms)}x, CPU then ${ratio((r) => r.cpu)}x, idle RSS ${ratio((r) => r.rss)}x\n`);
  }
  process.stdout.write(`schema cache loaded (Groundwork's schema-cache-loaded observation, medians):\n${cacheLines.join('\n')}\n`);
} finally {
  cluster?.destroy();
  rmSync(project, { recursive: true, force: true });
  rmSync(templateCache, { recursive: true, force: true });
}
