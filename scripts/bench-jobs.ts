// npm run bench:jobs: Groundwork's jobs family under load on this machine, each figure
// beside a peer or a target (the load generators and receivers run in this process):
// - queue: JOBS (10,000) small JSON jobs through Groundwork's pgmq API, pg-boss and
//   graphile-worker side by side on the same PostgreSQL server (a fresh database each):
//   sent one per statement by CONCURRENCY (4) producers, sent SEND_BATCH (100) per
//   statement, processed by CONCURRENCY consumers fetching BATCH (10) at a time, and end
//   to end (producers and consumers at once); jobs/s each (scripts/bench-jobs/queue.ts).
//   With DB including embedded, Groundwork's pgmq also on PGlite through its database port.
// - webhooks: EVENTS (5,000) inserted rows, each a database webhook to a local receiver
//   (200 at once); deliveries/s and commit-to-receipt p50/p99 (in the burst, and at
//   PACED_RATE 50/s), beside a minimal Node outbox relay on the same PostgreSQL
//   (scripts/bench-jobs/webhooks.ts).
// - cron: CRON_JOBS (10) pg_cron jobs every second for DURATION (30) s; lateness
//   p50/p99/max from the scheduler's log, and runs against expected ticks (target p99 ≤ 1 s).
// Each figure is the median of ROUNDS (3; cron runs once). DB=embedded,server picks the
// databases for webhooks and cron (queue peers need a server); PG_URL reuses a running
// PostgreSQL (a superuser URL) instead of a throwaway cluster. SCENARIOS=queue,webhooks,cron.
import { cpus, loadavg } from 'node:os';
import { startPgCluster } from '../test/support/pg-cluster.ts';
import { bootstrapGroundwork, env, fmt, freshDatabase, medians, progress, startGroundwork, table } from './bench-jobs/common.ts';
import { BATCH, CONCURRENCY, graphileQueue, groundworkQueue, JOBS, pgBossQueue, queueRound, SEND_BATCH, type QueueSystem } from './bench-jobs/queue.ts';
import { EVENTS, webhookBaselineRound, webhookRound } from './bench-jobs/webhooks.ts';
import { CRON_JOBS, cronRound, DURATION } from './bench-jobs/cron.ts';

const ROUNDS = env('ROUNDS', 3);
const dbs = (process.env.DB ?? 'embedded,server').split(',');
const scenarios = new Set((process.env.SCENARIOS ?? 'queue,webhooks,cron').split(','));
const summary: string[] = [];
/** Into the summary printed at the end, and to stderr as it comes. */
const say = (...lines: string[]) => {
  for (const l of lines) progress(l);
  summary.push(...lines);
};

async function rounds(name: string, round: () => Promise<Record<string, number>>, n = ROUNDS): Promise<Record<string, number>> {
  const results: Array<Record<string, number>> = [];
  for (let r = 0; r < n; r++) {
    results.push(await round());
    progress(`${name} round ${r + 1}/${n}: ${fmt(results.at(-1) ?? {})}`);
  }
  return medians(results);
}

const ratio = (a: number | undefined, b: number | undefined) => ((a ?? NaN) / (b ?? NaN)).toFixed(2);

/** A fresh database on the server for the length of `work`. */
async function withDatabase<T>(adminUrl: string, prefix: string, work: (url: string) => Promise<T>): Promise<T> {
  const db = await freshDatabase(adminUrl, prefix);
  try {
    return await work(db.url);
  } finally {
    await db.drop();
  }
}

async function queueOn(make: () => Promise<QueueSystem>, jobs = JOBS): Promise<Record<string, number>> {
  const system = await make();
  try {
    return await queueRound(system, jobs);
  } finally {
    await system.close();
  }
}

async function queueScenario(adminUrl: string): Promise<void> {
  say(`## queue: ${JOBS} jobs, ${CONCURRENCY} producers / consumers, fetch batch ${BATCH}, send batch ${SEND_BATCH}, jobs/s, median of ${ROUNDS}`, '');
  const results: Array<[string, Record<string, number>]> = [];
  const onServer = (prefix: string, make: (url: string) => Promise<QueueSystem>, bootstrap = false) => () =>
    withDatabase(adminUrl, prefix, async (url) => {
      if (bootstrap) await bootstrapGroundwork(url);
      return queueOn(() => make(url));
    });
  results.push(['groundwork pgmq (server)', await rounds('queue groundwork', onServer('gw_bench', groundworkQueue, true))]);
  results.push(['pg-boss', await rounds('queue pg-boss', onServer('pgboss_bench', pgBossQueue))]);
  results.push([`graphile-worker${process.env.GRAPHILE_BATCHING === '0' ? ' (defaults)' : ' (batching)'}`, await rounds('queue graphile-worker', onServer('graphile_bench', graphileQueue))]);
  if (dbs.includes('embedded')) {
    // Through the embedded database's PostgreSQL port (the peers have no embedded mode), on
    // EMBEDDED_JOBS (JOBS / 10): each statement there costs milliseconds.
    const jobs = env('EMBEDDED_JOBS', Math.ceil(JOBS / 10));
    const embedded = await rounds('queue groundwork embedded', async () => {
      const gw = await startGroundwork(undefined, { LOG_LEVEL: 'warn' });
      try {
        return await queueOn(() => groundworkQueue(gw.dbUrl), jobs);
      } finally {
        await gw.stop();
      }
    });
    results.push([`groundwork pgmq (embedded, db port, ${jobs} jobs)`, embedded]);
  }
  const [gw, boss, graphile] = results.map(([, r]) => r);
  const figures = ['send_per_s', 'send_batch_per_s', 'process_per_s', 'end_to_end_per_s'];
  const ratios = (peer: Record<string, number> | undefined) => Object.fromEntries(figures.map((k) => [k, ratio(gw?.[k], peer?.[k])]));
  const faster = Object.fromEntries(figures.map((k) => [k, Math.max(boss?.[k] ?? 0, graphile?.[k] ?? 0)]));
  say(
    ...table(results.map(([name, r]) => [name, Object.fromEntries(figures.map((k) => [k, r[k] ?? NaN]))])),
    '',
    ...table([
      ['groundwork / pg-boss', ratios(boss)],
      ['groundwork / graphile-worker', ratios(graphile)],
      ['groundwork / the faster peer', ratios(faster)],
    ]),
    '',
  );
}

async function webhooksScenario(adminUrl: string): Promise<void> {
  say(`## webhooks: ${EVENTS} inserted rows, a webhook each to a local receiver, median of ${ROUNDS}`, '');
  const results: Array<[string, Record<string, number>]> = [];
  for (const db of dbs) {
    const r = await rounds(`webhooks groundwork ${db}`, () => (db === 'server' ? withDatabase(adminUrl, 'gw_hooks', webhookRound) : webhookRound(undefined)));
    results.push([`groundwork (${db})`, r]);
    if (db === 'server') results.push(['baseline relay (server)', await rounds('webhooks baseline', () => withDatabase(adminUrl, 'relay_hooks', webhookBaselineRound))]);
  }
  const gw = results.find(([n]) => n === 'groundwork (server)')?.[1];
  const base = results.find(([n]) => n === 'baseline relay (server)')?.[1];
  say(...table(results), '');
  if (gw !== undefined && base !== undefined) {
    const keys = ['deliveries_per_s', 'burst_p50_ms', 'burst_p99_ms', 'paced_p50_ms', 'paced_p99_ms'];
    say(`groundwork / baseline (server): ${keys.map((k) => `${k} ${ratio(gw[k], base[k])}`).join(', ')}`, '');
  }
}

async function cronScenario(adminUrl: string): Promise<void> {
  say(`## cron: ${CRON_JOBS} jobs every second for ${DURATION} s (target: lateness p99 ≤ 1000 ms, no missed or doubled ticks)`, '');
  const results: Array<[string, Record<string, number>]> = [];
  for (const db of dbs) results.push([`groundwork (${db})`, await rounds(`cron ${db}`, () => (db === 'server' ? withDatabase(adminUrl, 'gw_cron', cronRound) : cronRound(undefined)), 1)]);
  say(...table(results), '');
}

const needsServer = dbs.includes('server') || scenarios.has('queue');
const given = process.env.PG_URL;
const cluster = given === undefined && needsServer ? await startPgCluster() : undefined;
const adminUrl = given ?? cluster?.url ?? '';
try {
  if (scenarios.has('queue')) await queueScenario(adminUrl);
  if (scenarios.has('webhooks')) await webhooksScenario(adminUrl);
  if (scenarios.has('cron')) await cronScenario(adminUrl);
} finally {
  cluster?.destroy();
}
const knobs = ['ROUNDS', 'DB', 'SCENARIOS', 'JOBS', 'CONCURRENCY', 'BATCH', 'SEND_BATCH', 'GRAPHILE_BATCHING', 'EMBEDDED_JOBS', 'EVENTS', 'INSERT_BATCH', 'RELAY_CONCURRENCY', 'RELAY_BATCH', 'PACED_RATE', 'PACED_SECONDS', 'CRON_JOBS', 'DURATION', 'PG_URL']
  .filter((k) => process.env[k] !== undefined)
  .map((k) => `${k}=${k === 'PG_URL' ? '…' : process.env[k]}`);
const machine = `${cpus().length} × ${cpus()[0]?.model ?? '?'}, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}, node ${process.version}`;
console.log(`\n# bench:jobs — ${new Date().toISOString()} (${machine})\n\n    ${[...knobs, 'npm run bench:jobs'].join(' ')}\n\n${summary.join('\n')}`);
