// The cron scheduler on one database: jobs run on their ticks as the role that scheduled
// them, failures are recorded, one job's runs never overlap, unscheduled jobs stop, and runs
// a dead node left unfinished are closed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openTestDatabase, dbKind } from '../../../test/support/db.ts';
import type { Caller, Database } from '../../db/port.ts';
import { sql } from '../../lib/sql.ts';
import type { Observation } from '../../observe/events.ts';
import { failOrphanedRuns } from './runs.ts';
import { startScheduler, type Scheduler } from './scheduler.ts';

const serviceRole: Caller = { role: 'service_role', claims: { role: 'service_role' }, headers: {}, cookies: {}, method: 'POST', path: '/' };

describe(`cron scheduler (${dbKind})`, () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Database;
  let scheduler: Scheduler;
  const seen: Observation[] = [];

  before(async () => {
    t = await openTestDatabase();
    db = t.db;
    await db.script(`
      create table public.beats (job text, who text, at timestamptz default clock_timestamp());
      grant insert on public.beats to service_role;`);
    scheduler = await startScheduler(db, (o) => void seen.push(o));
  });
  after(async () => {
    await scheduler.stop();
    await t.dispose();
  });

  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
  // By job id: the history outlives an unscheduled job.
  const runs = async (jobid: string) =>
    (await db.query<{ status: string; username: string; return_message: string | null; start_time: string; end_time: string | null }>(sql`
      select status, username, return_message, start_time::text, end_time::text
      from cron.job_run_details where jobid = ${jobid}::bigint order by runid`)).rows;
  const schedule = async (name: string, command: string, caller?: Caller) =>
    db.transaction(async (tx) => (await tx.query<{ id: string }>(sql`select cron.schedule(${name}, '1 seconds', ${command})::text as id`)).rows[0]?.id ?? '', caller === undefined ? {} : { caller });

  it('runs a job every second as the role that scheduled it, recording each run', async () => {
    const beat = await schedule('beat', `insert into public.beats (job, who) values ('beat', current_user)`, serviceRole);
    await wait(3_500);
    // pg_cron finds a job by name among the caller's own.
    await db.transaction(async (tx) => tx.query(sql`select cron.unschedule('beat')`), { caller: serviceRole });
    const done = await runs(beat);
    assert.ok(done.length >= 2 && done.length <= 5, `${done.length} runs in 3.5 s`);
    assert.ok(done.every((r) => r.status === 'succeeded' && r.username === 'service_role' && r.end_time !== null));
    const { rows } = await db.query<{ who: string; n: number }>(sql`select who, count(*)::int as n from public.beats where job = 'beat' group by who`);
    assert.deepEqual(rows, [{ who: 'service_role', n: done.length }]);
    const late = seen.filter((o) => o.type === 'cron-run').map((o) => (o.type === 'cron-run' ? o.lateMs : 0));
    assert.ok(late.every((ms) => ms < 1_000), `started within a second of its tick (${late.join(', ')} ms)`);
    const before = done.length;
    await wait(1_500);
    assert.equal((await runs(beat)).length, before, 'an unscheduled job no longer runs');
  });

  it('records a failing command with its error', async () => {
    const broken = await schedule('broken', 'select 1/0');
    await wait(1_800);
    await db.query(sql`select cron.unschedule('broken')`);
    const done = await runs(broken);
    assert.ok(done.length >= 1);
    assert.deepEqual([...new Set(done.map((r) => [r.status, r.return_message].join(': ')))], ['failed: division by zero']);
    assert.ok(seen.some((o) => o.type === 'cron-run' && o.status === 'failed' && o.error === 'division by zero'));
  });

  it('never overlaps two runs of one job: a run that outlasts its tick delays the next', async () => {
    const slow = await schedule('slow', `select pg_sleep(1.5); insert into public.beats (job) values ('slow')`);
    await wait(4_500);
    await db.query(sql`select cron.unschedule('slow')`);
    await wait(2_000); // the run under way ends
    const done = (await runs(slow)).filter((r) => r.end_time !== null);
    assert.ok(done.length >= 2, `${done.length} runs`);
    for (let i = 1; i < done.length; i++) {
      assert.ok(Date.parse(done[i]!.start_time) >= Date.parse(done[i - 1]!.end_time!) - 5, `run ${i + 1} started after run ${i} ended`);
    }
  });

  it('runs every job when more are due at once than may run together (8), none missing its ticks', async () => {
    const ids = [];
    for (let i = 0; i < 12; i++) ids.push(await schedule(`many_${i}`, `insert into public.beats (job) values ('many_${i}')`));
    await wait(3_600);
    for (let i = 0; i < 12; i++) await db.query(sql`select cron.unschedule(${`many_${i}`})`);
    const counts = await Promise.all(ids.map(async (id) => (await runs(id)).length));
    assert.ok(counts.every((n) => n >= 2), `runs per job: ${counts.join(', ')}`);
  });

  it('closes runs that a node stopped or crashed in the middle of', async () => {
    const { rows } = await db.query<{ jobid: string }>(sql`select cron.schedule('left', '0 0 1 1 *', 'select 1')::text as jobid`);
    const jobid = rows[0]?.jobid ?? '';
    await db.query(sql`insert into cron.job_run_details (jobid, status, start_time, command, username) values (${jobid}::bigint, 'running', now() - interval '2 minutes', 'select 1', 'postgres')`);
    assert.equal(await failOrphanedRuns(db), 1);
    const left = await runs(jobid);
    assert.equal(left[0]?.status, 'failed');
    assert.match(left[0]?.return_message ?? '', /ended with its node/);
  });
});
