// npm run bench:functions: Edge Functions at /functions/v1 on this machine, each figure beside
// a baseline taken in the same run (the load generators run in this process, and wrk):
// - latency: a warm invocation of a trivial function (`Deno.serve(() => new Response('ok'))`,
//   POST with the anon key as Bearer, as supabase-js sends it) interleaved with a REST read
//   (`GET /rest/v1/bench_items?select=*&limit=1`, anon key) and with the same function asked
//   directly on its worker's Unix socket (the floor under Groundwork's proxying): N (1000)
//   sequential requests each over one keep-alive connection after WARMUP (200); p50/p99, and
//   invocation / REST (the issue's target: ≤ 2×).
// - throughput: wrk -t1 -c CONNS (32) for DURATION (10) s, the warm function and the REST read
//   in turn; requests/s, server CPU per request (Groundwork plus its Deno worker, from /proc;
//   on a PostgreSQL server not PostgreSQL's own), and function / REST.
// - cold: COLD (20) cold starts of the trivial function, then COLD_NPM (20) of one importing
//   `npm:@supabase/supabase-js@2` (after one untimed start that fills the Deno cache): the
//   function's file is touched (COLD_CHANGE=rewrite: its text changed), the old worker is seen
//   gone, then after COLD_GAP_MS (300) the request is timed to its answer; p50/p95 (target p50
//   ≤ 150 ms), the worker's own spawn → ready from the server's log, and beside each a bare
//   `deno run` of the same code answering on a Unix socket (the floor), interleaved.
// Latency and throughput figures are medians of ROUNDS (3); ratios are medians of the rounds'
// own ratios. DB=embedded (default) or DB=server (a throwaway PostgreSQL cluster, or PG_URL, a
// superuser URL) or both, comma-separated; SCENARIOS=latency,throughput,cold. Deno's cache is
// DENO_DIR (default node_modules/.cache/groundwork-deno, shared with the tests); npm's
// registry is NPM_CONFIG_REGISTRY when set.
import { utimesSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { deriveApiKeys } from '../src/keys/api-keys.ts';
import { findDeno } from '../src/functions/runtime/deno-binary.ts';
import { startPgCluster } from '../test/support/pg-cluster.ts';
import { env, fmt, freshDatabase, medians, progress, SECRET, sleep, startGroundwork, table, type Groundwork } from './bench-jobs/common.ts';
import { createTable, denoEnv, makeProject, TABLE, TRIVIAL, WITH_SUPABASE_JS, type Project } from './bench-functions/fixtures.ts';
import { bareDenoStart, Client, cpuMs, denoChildren, hasWrk, percentile, workerSocket, wrk } from './bench-functions/load.ts';

const ROUNDS = env('ROUNDS', 3);
const N = env('N', 1000);
const WARMUP = env('WARMUP', 200);
const CONNS = env('CONNS', 32);
const DURATION = env('DURATION', 10);
const COLD = env('COLD', 20);
const COLD_NPM = env('COLD_NPM', COLD);
const COLD_GAP_MS = env('COLD_GAP_MS', 300);
const COLD_CHANGE = process.env.COLD_CHANGE ?? 'touch';
if (COLD_CHANGE !== 'touch' && COLD_CHANGE !== 'rewrite') throw new Error('COLD_CHANGE is touch or rewrite');
const dbs = (process.env.DB ?? 'embedded').split(',');
const scenarios = new Set((process.env.SCENARIOS ?? 'latency,throughput,cold').split(','));
if (scenarios.has('throughput') && !hasWrk()) throw new Error('wrk is not installed (apt-get install wrk; scripts/bench.sh uses it too), or leave throughput out: SCENARIOS=latency,cold');

const keys = await deriveApiKeys(SECRET);
const auth = { apikey: keys.anon, authorization: `Bearer ${keys.anon}` };
const REST_PATH = `/rest/v1/${TABLE}?select=*&limit=1`;
const deno = findDeno(undefined);
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

const summary: string[] = [];
const say = (...lines: string[]) => {
  for (const l of lines) progress(l);
  summary.push(...lines);
};
const median = (xs: readonly number[]) => percentile(xs, 50);

/** Groundwork on `dbUrl` (undefined: embedded) with `project`'s functions, and the REST table in place. */
async function serve(dbUrl: string | undefined, project: Project, logLevel: string): Promise<Groundwork> {
  const gw = await startGroundwork(dbUrl, { LOG_LEVEL: logLevel, GROUNDWORK_FUNCTIONS_DIR: project.functionsDir, ...denoEnv() });
  await createTable(gw.dbUrl, gw.url, keys.anon);
  return gw;
}

async function invokeOk(client: Client, name: string): Promise<number> {
  const a = await client.send('POST', `/functions/v1/${name}`, auth);
  if (a.status !== 200) throw new Error(`/functions/v1/${name} answered ${a.status}`);
  return a.ms;
}

async function latencyScenario(gw: Groundwork): Promise<void> {
  const client = new Client({ port: Number(new URL(gw.url).port) });
  await invokeOk(client, 'ok'); // the worker starts
  const pid = denoChildren(gw.pid)[0];
  const socketPath = pid === undefined ? undefined : workerSocket(pid);
  if (socketPath === undefined) throw new Error('no function worker found under the server');
  const direct = new Client({ socketPath });
  const series = {
    rest: () => client.send('GET', REST_PATH, auth),
    fn: () => client.send('POST', '/functions/v1/ok', auth),
    worker: () => direct.send('POST', '/ok', {}),
  };
  const names = Object.keys(series) as Array<keyof typeof series>;
  const rounds: Array<Record<string, number>> = [];
  for (let r = 0; r < ROUNDS; r++) {
    const ms: Record<string, number[]> = { rest: [], fn: [], worker: [] };
    for (let i = 0; i < WARMUP + N; i++) {
      // Interleaved, the order turning each time, so drift and load hit all three alike.
      for (let k = 0; k < names.length; k++) {
        const name = names[(i + k) % names.length] ?? 'rest';
        const a = await series[name]();
        if (a.status !== 200) throw new Error(`${name} answered ${a.status}`);
        if (i >= WARMUP) ms[name]?.push(a.ms);
      }
    }
    const p = (name: string, q: number) => percentile(ms[name] ?? [], q);
    rounds.push({
      rest_p50_ms: p('rest', 50),
      rest_p99_ms: p('rest', 99),
      fn_p50_ms: p('fn', 50),
      fn_p99_ms: p('fn', 99),
      worker_p50_ms: p('worker', 50),
      worker_p99_ms: p('worker', 99),
      ratio_p50: p('fn', 50) / p('rest', 50),
      ratio_p99: p('fn', 99) / p('rest', 99),
    });
    progress(`latency round ${r + 1}/${ROUNDS} (load ${load()}): ${fmt(rounds.at(-1) ?? {})}`);
  }
  client.close();
  direct.close();
  const m = medians(rounds);
  const fig = (k: string) => m[k] ?? NaN;
  say(
    `### latency: ${N} sequential requests each, interleaved, one keep-alive connection, after ${WARMUP}; medians of ${ROUNDS} rounds`,
    '',
    ...table([
      ['REST read (GET, anon)', { p50_ms: fig('rest_p50_ms'), p99_ms: fig('rest_p99_ms') }],
      ['function, warm (POST, anon)', { p50_ms: fig('fn_p50_ms'), p99_ms: fig('fn_p99_ms') }],
      ['the worker alone (its Unix socket)', { p50_ms: fig('worker_p50_ms'), p99_ms: fig('worker_p99_ms') }],
      ['function / REST', { p50_ms: `**${fig('ratio_p50').toFixed(2)}×**`, p99_ms: `${fig('ratio_p99').toFixed(2)}×` }],
    ]),
    '',
    `Target: warm invocation ≤ 2× a REST read: p50 ${fig('ratio_p50') <= 2 ? 'met' : 'NOT met'}. Groundwork's share of an invocation (function − worker alone), p50: ${(fig('fn_p50_ms') - fig('worker_p50_ms')).toFixed(2)} ms.`,
    '',
  );
}

async function throughputScenario(gw: Groundwork): Promise<void> {
  const headers = Object.entries(auth).map(([k, v]) => `${k}: ${v}`);
  const targets = {
    rest: { url: `${gw.url}${REST_PATH}`, post: false },
    fn: { url: `${gw.url}/functions/v1/ok`, post: true },
  };
  const names = Object.keys(targets) as Array<keyof typeof targets>;
  const measure = async (name: keyof typeof targets, seconds: number) => {
    const pids = [gw.pid, ...denoChildren(gw.pid)];
    const before = cpuMs(pids);
    const res = await wrk(targets[name].url, { conns: CONNS, seconds, headers, post: targets[name].post });
    const used = cpuMs(pids) - before;
    if (res.failures > 0) progress(`  ${name}: ${res.failures} failed requests (non-2xx or socket errors) of ${res.requests}`);
    return { rps: res.rps, cpu_us: (used * 1000) / Math.max(1, res.requests), failures: res.failures };
  };
  for (const name of names) await measure(name, 2); // warm-up: JIT, plan caches, pools
  const rounds: Array<Record<string, number>> = [];
  for (let r = 0; r < ROUNDS; r++) {
    const got: Record<string, { rps: number; cpu_us: number; failures: number }> = {};
    for (const name of r % 2 === 0 ? names : [...names].reverse()) got[name] = await measure(name, DURATION);
    const rest = got['rest'];
    const fn = got['fn'];
    rounds.push({
      rest_rps: rest?.rps ?? NaN,
      rest_cpu_us: rest?.cpu_us ?? NaN,
      fn_rps: fn?.rps ?? NaN,
      fn_cpu_us: fn?.cpu_us ?? NaN,
      failures: (rest?.failures ?? 0) + (fn?.failures ?? 0),
      ratio_rps: (fn?.rps ?? NaN) / (rest?.rps ?? NaN),
      ratio_cpu: (fn?.cpu_us ?? NaN) / (rest?.cpu_us ?? NaN),
    });
    progress(`throughput round ${r + 1}/${ROUNDS} (load ${load()}): ${fmt(rounds.at(-1) ?? {})}`);
  }
  const m = medians(rounds);
  const fig = (k: string) => m[k] ?? NaN;
  say(
    `### throughput: wrk -t1 -c${CONNS}, ${DURATION} s each, in turn; medians of ${ROUNDS} rounds`,
    '',
    ...table([
      ['REST read', { 'requests/s': fig('rest_rps'), 'server CPU µs/request': fig('rest_cpu_us') }],
      ['function, warm', { 'requests/s': fig('fn_rps'), 'server CPU µs/request': fig('fn_cpu_us') }],
      ['function / REST', { 'requests/s': `**${fig('ratio_rps').toFixed(2)}×**`, 'server CPU µs/request': `${fig('ratio_cpu').toFixed(2)}×` }],
    ]),
    '',
    `Server CPU counts Groundwork's process and its Deno worker${rounds.some((r) => (r['failures'] ?? 0) > 0) ? `; some rounds had failed requests (see above)` : ''}.`,
    '',
  );
}

/** Makes `name` cold: its file changes, and the server is seen to have no worker left; ms from the change to that. */
async function makeCold(gw: Groundwork, project: Project, name: string, code: string, n: number): Promise<number> {
  const stoppedBefore = gw.logs.filter((l) => l['event'] === 'stopped').length;
  const hadWorker = denoChildren(gw.pid).length > 0;
  const file = project.entry(name);
  if (COLD_CHANGE === 'touch') utimesSync(file, new Date(), new Date(Date.now() + n * 1000));
  else writeFileSync(file, `${code}// cold start ${n}\n`);
  const changed = performance.now();
  for (let i = 0; i < 200; i++) {
    const stopped = !hadWorker || gw.logs.filter((l) => l['event'] === 'stopped').length > stoppedBefore;
    if (stopped && denoChildren(gw.pid).length === 0) break;
    if (i === 199) throw new Error(`the worker of ${name} did not stop after its file changed`);
    await sleep(25);
  }
  const retired = performance.now() - changed;
  await sleep(COLD_GAP_MS);
  return retired;
}

async function coldScenario(gw: Groundwork, project: Project): Promise<void> {
  const client = new Client({ port: Number(new URL(gw.url).port) });
  const rows: Array<[string, Record<string, number | string>]> = [];
  const notes: string[] = [];
  for (const [name, code, count] of [
    ['trivial', TRIVIAL, COLD],
    ['npm', WITH_SUPABASE_JS, COLD_NPM],
  ] as const) {
    if (count <= 0) continue;
    progress(`cold ${name}: first start, untimed${name === 'npm' ? ' (downloads @supabase/supabase-js into DENO_DIR unless it is cached)' : ''}`);
    const first = await invokeOk(client, name);
    const firstFloor = await bareDenoStart(deno, project.bareScript(name), denoEnv(), 150);
    progress(`cold ${name}: first start ${first.toFixed(0)} ms, bare deno ${firstFloor.toFixed(0)} ms`);
    const gwMs: number[] = [];
    const spawnMs: number[] = [];
    const floorMs: number[] = [];
    const retireMs: number[] = [];
    for (let i = 0; i < count; i++) {
      const timeGroundwork = async () => {
        retireMs.push(await makeCold(gw, project, name, code, i + 1));
        const startedBefore = gw.logs.filter((l) => l['event'] === 'started').length;
        gwMs.push(await invokeOk(client, name));
        for (let k = 0; k < 40 && gw.logs.filter((l) => l['event'] === 'started').length === startedBefore; k++) await sleep(25);
        const started = gw.logs.filter((l) => l['event'] === 'started').at(-1);
        spawnMs.push(typeof started?.['ms'] === 'number' ? started['ms'] : NaN);
      };
      const timeFloor = async () => {
        await sleep(COLD_GAP_MS);
        floorMs.push(await bareDenoStart(deno, project.bareScript(name), denoEnv(), 150));
      };
      if (i % 2 === 0) {
        await timeGroundwork();
        await timeFloor();
      } else {
        await timeFloor();
        await timeGroundwork();
      }
      progress(`cold ${name} ${i + 1}/${count} (load ${load()}): groundwork ${gwMs.at(-1)?.toFixed(1)} ms (worker spawn → ready ${spawnMs.at(-1)} ms), bare deno ${floorMs.at(-1)?.toFixed(1)} ms; change → old worker gone ${retireMs.at(-1)?.toFixed(0)} ms`);
    }
    const label = name === 'npm' ? 'supabase-js' : 'trivial';
    rows.push([`${label}: groundwork, request → answer`, { p50_ms: percentile(gwMs, 50), p95_ms: percentile(gwMs, 95), max_ms: Math.max(...gwMs) }]);
    rows.push([`${label}: its worker, spawn → ready (server log)`, { p50_ms: percentile(spawnMs, 50), p95_ms: percentile(spawnMs, 95), max_ms: Math.max(...spawnMs) }]);
    rows.push([`${label}: bare deno run, spawn → answer`, { p50_ms: percentile(floorMs, 50), p95_ms: percentile(floorMs, 95), max_ms: Math.max(...floorMs) }]);
    rows.push([`${label}: groundwork / bare deno`, { p50_ms: `**${(median(gwMs) / median(floorMs)).toFixed(2)}×**`, p95_ms: `${(percentile(gwMs, 95) / percentile(floorMs, 95)).toFixed(2)}×`, max_ms: '' }]);
    notes.push(`${label}: file change → old worker gone, p50 ${median(retireMs).toFixed(0)} ms (not in the figures above).`);
    if (name === 'trivial') notes.push(`Target: cold start p50 ≤ 150 ms: ${median(gwMs) <= 150 ? 'met' : 'NOT met'} (${median(gwMs).toFixed(0)} ms).`);
  }
  client.close();
  say(`### cold start: ${COLD} (trivial) and ${COLD_NPM} (supabase-js) starts, the file ${COLD_CHANGE === 'touch' ? 'touched' : 'rewritten'} each time, interleaved with a bare deno run`, '', ...table(rows), '', ...notes, '');
}

async function onDatabase(db: string, dbUrl: string | undefined): Promise<void> {
  say(`## ${db === 'server' ? 'PostgreSQL server' : 'embedded PGlite'}`, '');
  if (scenarios.has('latency') || scenarios.has('throughput')) {
    const project = makeProject({ ok: TRIVIAL });
    progress(`${db}: starting Groundwork (LOG_LEVEL=warn) for latency and throughput`);
    const gw = await serve(dbUrl, project, 'warn');
    try {
      if (scenarios.has('latency')) await latencyScenario(gw);
      if (scenarios.has('throughput')) await throughputScenario(gw);
    } finally {
      await gw.stop();
      project.remove();
    }
  }
  if (scenarios.has('cold')) {
    const project = makeProject({ trivial: TRIVIAL, npm: WITH_SUPABASE_JS });
    // The worker log (started / stopped) is at info: this server tells when a worker is gone.
    progress(`${db}: starting Groundwork (LOG_LEVEL=info) for cold starts`);
    const gw = await serve(dbUrl, project, 'info');
    try {
      await coldScenario(gw, project);
    } finally {
      await gw.stop();
      project.remove();
    }
  }
}

const given = process.env.PG_URL;
const cluster = given === undefined && dbs.includes('server') ? await startPgCluster() : undefined;
const adminUrl = given ?? cluster?.url ?? '';
const loadAtStart = load();
try {
  for (const db of dbs) {
    if (db === 'server') {
      const fresh = await freshDatabase(adminUrl, 'gw_functions');
      try {
        await onDatabase(db, fresh.url);
      } finally {
        await fresh.drop();
      }
    } else if (db === 'embedded') await onDatabase(db, undefined);
    else throw new Error(`DB is embedded, server or both (not ${db})`);
  }
} finally {
  cluster?.destroy();
}
const knobs = ['ROUNDS', 'DB', 'SCENARIOS', 'N', 'WARMUP', 'CONNS', 'DURATION', 'COLD', 'COLD_NPM', 'COLD_GAP_MS', 'COLD_CHANGE', 'PG_URL', 'DENO_DIR']
  .filter((k) => process.env[k] !== undefined)
  .map((k) => `${k}=${k === 'PG_URL' ? '…' : process.env[k]}`);
const machine = `${cpus().length} × ${cpus()[0]?.model ?? '?'}, load ${loadAtStart} at start and ${load()} at the end, node ${process.version}`;
console.log(`\n# bench:functions — ${new Date().toISOString()} (${machine})\n\n    ${[...knobs, 'npm run bench:functions'].join(' ')}\n\n${summary.join('\n')}`);
