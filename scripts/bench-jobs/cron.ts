// The cron scenario: CRON_JOBS jobs scheduled with pg_cron's API, each `'1 seconds'`
// inserting one row, for DURATION seconds. The scheduler logs each run (LOG_LEVEL=info,
// `cron job <name> succeeded`) with its lateness (`lateMs`, from the tick to the run's
// start) and duration (`ms`); the line's time minus both is the run's tick. Ticks counted
// are the whole seconds from 2 s after scheduling to 1 s before the end: each job should
// run each of them once (missed = not run, doubled = run twice).
import postgres from 'postgres';
import { percentile } from '../bench-realtime/clients.ts';
import { env, sleep, startGroundwork } from './common.ts';

export const CRON_JOBS = env('CRON_JOBS', 10);
export const DURATION = env('DURATION', 30);

export async function cronRound(databaseUrl: string | undefined): Promise<Record<string, number>> {
  const gw = await startGroundwork(databaseUrl, { LOG_LEVEL: 'info' });
  const sql = postgres(gw.dbUrl, { max: 1, onnotice: () => undefined });
  try {
    await sql`create table public.cron_hits (id bigint generated always as identity primary key, job int not null, at timestamptz not null default now())`;
    for (let k = 1; k <= CRON_JOBS; k++) await sql`select cron.schedule(${`bench-${k}`}, '1 seconds', ${`insert into public.cron_hits (job) values (${k})`})`;
    const from = Math.ceil(Date.now() / 1000) * 1000 + 2000;
    await sleep(DURATION * 1000);
    const to = Math.floor(Date.now() / 1000) * 1000 - 1000;
    // Runs of the last ticks end and log a moment later.
    await sleep(2000);
    await sql`select cron.unschedule(jobname) from cron.job`;
    const runs = gw.logs
      .filter((l) => typeof l['msg'] === 'string' && (l['msg'] as string).startsWith('cron job ') && typeof l['lateMs'] === 'number')
      .map((l) => ({
        job: String(l['jobid']),
        ok: l['status'] === 'succeeded',
        lateMs: l['lateMs'] as number,
        tick: Math.round((Date.parse(String(l['time'])) - Number(l['ms']) - (l['lateMs'] as number)) / 1000) * 1000,
      }))
      .filter((r) => r.tick >= from && r.tick <= to);
    const expected = ((to - from) / 1000 + 1) * CRON_JOBS;
    const distinct = new Set(runs.map((r) => `${r.job}@${r.tick}`)).size;
    const [hits] = await sql<Array<{ n: number }>>`select count(*)::int as n from public.cron_hits`;
    const ran = new Set(runs.map((r) => r.job));
    const [details] = await sql<Array<{ n: number; failed: number }>>`select count(*)::int as n, count(*) filter (where status <> 'succeeded')::int as failed from cron.job_run_details`;
    const late = runs.map((r) => r.lateMs);
    return {
      expected_ticks: expected,
      runs: runs.length,
      missed: expected - distinct,
      doubled: runs.length - distinct,
      failed: runs.filter((r) => !r.ok).length,
      late_p50_ms: percentile(late, 50),
      late_p99_ms: percentile(late, 99),
      late_max_ms: late.length === 0 ? NaN : Math.max(...late),
      over_1s: late.filter((ms) => ms > 1000).length,
      jobs_never_run: CRON_JOBS - ran.size,
      // Over the whole run, not only the ticks counted: the database's side of the same.
      details_rows: details?.n ?? 0,
      details_not_ok: details?.failed ?? 0,
      rows_inserted: hits?.n ?? 0,
    };
  } finally {
    await sql.end();
    await gw.stop();
  }
}
