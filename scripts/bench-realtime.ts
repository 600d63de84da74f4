// npm run bench:realtime: Realtime under load on this machine, the load generator included
// (this process, raw vsn 2.0.0 sockets), against a built Groundwork in a child process:
// - changes: postgres_changes under RLS, SUBSCRIBERS (500) sockets each with its own JWT, a
//   team claim the table's policy reads (5 teams: each change is for a fifth of them),
//   RATE (300) inserts/s through REST for DURATION (10) s; delivered share, changes/s fully
//   delivered, change-to-delivery p50/p99. POLICY=initplan (the default) writes the policy
//   as Supabase's performance advisor asks (`(select auth.jwt())`, lint auth_rls_initplan),
//   POLICY=plain as the advisor flags it (auth.jwt() evaluated for each row);
// - fanout: one insert at a time to FANOUT (1000) subscribers, 20 times; delivery p50/p99;
// - broadcast: CONNECTIONS (1000) sockets in 10 channels, BROADCAST_RATE (1500) sends/s for
//   DURATION s; deliveries/s and p50, beside a bare `ws` server (scripts/bench-realtime/baseline-ws.mjs);
// - idle: IDLE (10000) joined sockets; the server's memory per socket, beside the baseline.
// Each figure is the median of ROUNDS (3). DB=embedded,server picks the databases for the
// two postgres_changes scenarios (broadcast and idle use the embedded one).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { freePort, startPgCluster } from '../test/support/pg-cluster.ts';
import { BenchSocket, inParallel, median, percentile, type Frame } from './bench-realtime/clients.ts';

const root = join(import.meta.dirname, '..');
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ROUNDS = env('ROUNDS', 3);
const DURATION = env('DURATION', 10);
const SECRET = 'bench-realtime-secret-bench-realtime-secret-0';
const dbs = (process.env.DB ?? 'embedded,server').split(',');
const scenarios = new Set((process.env.SCENARIOS ?? 'changes,fanout,broadcast,idle').split(','));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const POLICY = process.env.POLICY ?? 'initplan';
if (POLICY !== 'initplan' && POLICY !== 'plain') throw new Error('POLICY is initplan or plain');
const claim = POLICY === 'initplan' ? `((select auth.jwt()) ->> 'team')::int` : `(auth.jwt() ->> 'team')::int`;

const MIGRATION = `
create table public.team_items (id bigint generated always as identity primary key, team int not null, sent_ms float8 not null);
alter table public.team_items enable row level security;
create policy "team reads" on public.team_items for select to authenticated using (team = ${claim});
create table public.fan_items (id bigint generated always as identity primary key, sent_ms float8 not null);
alter publication supabase_realtime add table public.team_items, public.fan_items;
`;

interface Server {
  readonly url: string;
  readonly ws: string;
  readonly pid: number;
  stop(): Promise<void>;
}

const sign = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(SECRET));
const exp = () => Math.floor(Date.now() / 1000) + 3600;

async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) return;
    await sleep(100);
  }
  throw new Error('server did not become healthy');
}

async function startGroundwork(databaseUrl: string | undefined): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-bench-rt-'));
  mkdirSync(join(dir, 'supabase/migrations'), { recursive: true });
  writeFileSync(join(dir, 'supabase/migrations/20260101000000_bench.sql'), MIGRATION);
  const port = await freePort();
  // SERVER_NODE_ARGS: flags for the server's node (e.g. --cpu-prof), for profiling.
  const nodeArgs = (process.env.SERVER_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const child = spawn(process.execPath, [...nodeArgs, join(root, 'dist/cli.js'), 'start', '--project-dir', dir], {
    env: {
      PATH: process.env.PATH ?? '',
      // The initialised-database cache lives under HOME: without it each start runs initdb.
      HOME: process.env.HOME ?? '',
      ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
      JWT_SECRET: SECRET,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      GROUNDWORK_DATA_DIR: join(dir, 'data'),
      GROUNDWORK_DB_PORT: 'off',
      GROUNDWORK_REALTIME_MAX_CONCURRENT_USERS: '100000',
      GROUNDWORK_REALTIME_MAX_JOINS_PER_SECOND: '100000',
      GROUNDWORK_REALTIME_MAX_EVENTS_PER_SECOND: '100000000',
      GROUNDWORK_REALTIME_MAX_CHANNELS_PER_CLIENT: '100',
    },
    stdio: ['ignore', process.env.SERVER_LOG === undefined ? 'ignore' : 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, child);
  const anon = await sign({ role: 'anon', iss: 'bench', exp: exp() });
  return {
    url,
    ws: `ws://127.0.0.1:${port}/realtime/v1/websocket?apikey=${anon}&vsn=2.0.0`,
    pid: child.pid ?? 0,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startBaseline(): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'scripts/bench-realtime/baseline-ws.mjs'), String(port)], { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, child);
  return { url, ws: `ws://127.0.0.1:${port}/`, pid: child.pid ?? 0, stop: async () => void child.kill('SIGTERM') };
}

const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
const closeAll = (sockets: readonly BenchSocket[]) => sockets.forEach((s) => s.ws.terminate());

/** Inserts through REST at `rate` per second for `seconds`, `row(n)` each. */
async function drive(server: Server, table: string, rate: number, seconds: number, row: (n: number) => Record<string, unknown>): Promise<number> {
  const service = await sign({ role: 'service_role', iss: 'bench', exp: exp() });
  const start = performance.now();
  let sent = 0;
  const inflight = new Set<Promise<unknown>>();
  while (performance.now() - start < seconds * 1000) {
    const due = Math.floor(((performance.now() - start) / 1000) * rate);
    while (sent < due && inflight.size < 64) {
      const p = fetch(`${server.url}/rest/v1/${table}`, { method: 'POST', headers: { apikey: service, authorization: `Bearer ${service}`, 'content-type': 'application/json', prefer: 'return=minimal' }, body: JSON.stringify(row(sent++)) }).then((r) => r.arrayBuffer());
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
    }
    await sleep(2);
  }
  await Promise.all(inflight);
  return sent;
}

async function changesRound(server: Server): Promise<Record<string, number>> {
  const subscribers = env('SUBSCRIBERS', 500);
  const rate = env('RATE', 300);
  const teams = 5;
  const latencies: number[] = [];
  let lastDelivery = 0;
  const seen = new Set<string>();
  let duplicates = 0;
  const sockets = await inParallel(subscribers, 50, async (i) => {
    const s = await BenchSocket.open(server.ws);
    const live = new Promise<void>((resolve) => {
      s.onFrame = (f: Frame) => {
        if (f[3] === 'system' && f[4]['extension'] === 'postgres_changes') resolve();
        if (f[3] !== 'postgres_changes') return;
        const record = (f[4]['data'] as { record: { sent_ms: number; id: number } }).record;
        // A change delivered twice to one subscriber would be a bug: count them.
        const k = `${i}:${record.id}`;
        if (seen.has(k)) duplicates++;
        seen.add(k);
        const now = Date.now();
        latencies.push(now - record.sent_ms);
        lastDelivery = now;
      };
    });
    const token = await sign({ role: 'authenticated', sub: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, team: i % teams, exp: exp() });
    await s.join(`realtime:changes-${i}`, { config: { postgres_changes: [{ event: 'INSERT', schema: 'public', table: 'team_items' }] }, access_token: token });
    await live;
    return s;
  });
  const started = Date.now();
  const sent = await drive(server, 'team_items', rate, DURATION, (n) => ({ team: n % teams, sent_ms: Date.now() }));
  const expected = sent * (subscribers / teams);
  for (let i = 0; i < 200 && latencies.length < expected; i++) await sleep(100);
  closeAll(sockets);
  const seconds = (lastDelivery - started) / 1000;
  return { sent, delivered_pct: (100 * latencies.length) / expected, duplicates, changes_per_s: latencies.length / (subscribers / teams) / seconds, p50_ms: percentile(latencies, 50), p99_ms: percentile(latencies, 99) };
}

async function fanoutRound(server: Server): Promise<Record<string, number>> {
  const n = env('FANOUT', 1000);
  const latencies: number[] = [];
  const sockets = await inParallel(n, 50, async (i) => {
    const s = await BenchSocket.open(server.ws);
    const live = new Promise<void>((resolve) => {
      s.onFrame = (f) => {
        if (f[3] === 'system' && f[4]['extension'] === 'postgres_changes') resolve();
        if (f[3] === 'postgres_changes') latencies.push(Date.now() - (f[4]['data'] as { record: { sent_ms: number } }).record.sent_ms);
      };
    });
    await s.join(`realtime:fan-${i}`, { config: { postgres_changes: [{ event: 'INSERT', schema: 'public', table: 'fan_items' }] } });
    await live;
    return s;
  });
  const service = await sign({ role: 'service_role', iss: 'bench', exp: exp() });
  for (let k = 0; k < 20; k++) {
    await fetch(`${server.url}/rest/v1/fan_items`, { method: 'POST', headers: { apikey: service, authorization: `Bearer ${service}`, 'content-type': 'application/json', prefer: 'return=minimal' }, body: JSON.stringify({ sent_ms: Date.now() }) });
    await sleep(300);
  }
  for (let i = 0; i < 50 && latencies.length < 20 * n; i++) await sleep(100);
  closeAll(sockets);
  return { delivered_pct: (100 * latencies.length) / (20 * n), p50_ms: percentile(latencies, 50), p99_ms: percentile(latencies, 99) };
}

async function broadcastRound(server: Server): Promise<Record<string, number>> {
  const n = env('CONNECTIONS', 1000);
  const channels = 10;
  const rate = env('BROADCAST_RATE', 1500);
  const latencies: number[] = [];
  let delivered = 0;
  const sockets = await inParallel(n, 50, async (i) => {
    const s = await BenchSocket.open(server.ws);
    s.onFrame = (f) => {
      if (f[3] !== 'broadcast') return;
      delivered++;
      if (delivered % 20 === 0) latencies.push(Date.now() - ((f[4]['payload'] as { t: number }).t ?? 0));
    };
    await s.join(`realtime:room-${i % channels}`, { config: { broadcast: { self: false } } });
    return s;
  });
  const senders = sockets.slice(0, channels);
  const start = performance.now();
  let sent = 0;
  while (performance.now() - start < DURATION * 1000) {
    const due = Math.floor(((performance.now() - start) / 1000) * rate);
    for (; sent < due; sent++) senders[sent % channels]?.cast(`realtime:room-${sent % channels}`, 'broadcast', { type: 'broadcast', event: 'm', payload: { t: Date.now() } });
    await sleep(1);
  }
  const sentAt = performance.now();
  const expected = sent * (n / channels - 1);
  for (let i = 0; i < 100 && delivered < expected; i++) await sleep(100);
  const seconds = (Math.max(sentAt, performance.now() - 0) - start) / 1000;
  closeAll(sockets);
  return { sent, delivered_pct: (100 * delivered) / expected, delivered_per_s: delivered / seconds, p50_ms: percentile(latencies, 50), p99_ms: percentile(latencies, 99) };
}

async function idleRound(server: Server): Promise<Record<string, number>> {
  const n = env('IDLE', 10_000);
  await sleep(1000);
  const before = rssKb(server.pid);
  const sockets = await inParallel(n, 100, async (i) => {
    const s = await BenchSocket.open(server.ws);
    await s.join(`realtime:idle-${i % 100}`, { config: {} });
    return s;
  });
  await sleep(3000);
  const after = rssKb(server.pid);
  closeAll(sockets);
  await sleep(2000);
  return { sockets: n, rss_before_mb: before / 1024, rss_after_mb: after / 1024, kb_per_socket: (after - before) / n };
}

async function rounds(name: string, server: () => Promise<Server>, round: (s: Server) => Promise<Record<string, number>>): Promise<Record<string, number>> {
  const results: Array<Record<string, number>> = [];
  for (let r = 0; r < ROUNDS; r++) {
    const s = await server();
    try {
      results.push(await round(s));
    } finally {
      await s.stop();
    }
    process.stderr.write(`  ${name} round ${r + 1}/${ROUNDS}: ${JSON.stringify(results.at(-1))}\n`);
  }
  const keys = Object.keys(results[0] ?? {});
  return Object.fromEntries(keys.map((k) => [k, median(results.map((r) => r[k] ?? NaN))]));
}

const fmt = (o: Record<string, number>) => Object.entries(o).map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(v < 10 ? 2 : 1)}`).join('  ');
const cluster = dbs.includes('server') && (scenarios.has('changes') || scenarios.has('fanout')) ? await startPgCluster() : undefined;
try {
  for (const db of dbs) {
    const url = db === 'server' ? cluster?.url : undefined;
    if (scenarios.has('changes')) console.log(`changes (${db}, POLICY=${POLICY}):   ${fmt(await rounds(`changes ${db}`, () => startGroundwork(url), changesRound))}`);
    if (scenarios.has('fanout')) console.log(`fanout (${db}):    ${fmt(await rounds(`fanout ${db}`, () => startGroundwork(url), fanoutRound))}`);
  }
  if (scenarios.has('broadcast')) {
    const gw = await rounds('broadcast groundwork', () => startGroundwork(undefined), broadcastRound);
    const base = await rounds('broadcast baseline', startBaseline, broadcastRound);
    console.log(`broadcast groundwork: ${fmt(gw)}\nbroadcast baseline:   ${fmt(base)}\nbroadcast ratio groundwork/baseline delivered_per_s=${((gw['delivered_per_s'] ?? 0) / (base['delivered_per_s'] ?? 1)).toFixed(2)}`);
  }
  if (scenarios.has('idle')) {
    const gw = await rounds('idle groundwork', () => startGroundwork(undefined), idleRound);
    const base = await rounds('idle baseline', startBaseline, idleRound);
    console.log(`idle groundwork: ${fmt(gw)}\nidle baseline:   ${fmt(base)}\nidle ratio groundwork/baseline kb_per_socket=${((gw['kb_per_socket'] ?? 0) / (base['kb_per_socket'] ?? 1)).toFixed(2)}`);
  }
} finally {
  cluster?.destroy();
}
