// The cron scheduler's statements. A tick is claimed by inserting it (primary key jobid,
// tick_at): the node whose insert lands runs it, so each tick runs once however many nodes
// share the database. A run is a row of cron.job_run_details, written before and after the
// command; the command itself runs in its own transaction, as the job's role, holding an
// advisory lock on the job so that no two runs of one job overlap, on any node.
import { sql } from '../../lib/sql.ts';
import type { Database, Queryable } from '../../db/port.ts';

/** Arbitrary constant: the first key of a job's advisory lock (the second is its id). */
export const CRON_LOCK = 7_270_014;
export const NOTIFY_CHANNEL = 'groundwork_cron';

export type CronJob = {
  readonly jobid: string;
  readonly jobname: string | null;
  readonly schedule: string;
  readonly command: string;
  readonly username: string;
};

export async function activeJobs(db: Queryable): Promise<CronJob[]> {
  const { rows } = await db.query<CronJob>(sql`
    select jobid::text, jobname, schedule, command, username from cron.job where active and database = current_database() order by jobid`);
  return rows;
}

/** Claims a tick of a job that is still scheduled and active (a node may not have heard of a change yet). */
export async function claimTick(db: Queryable, jobid: string, tick: Date): Promise<boolean> {
  const { rowCount } = await db.query(sql`
    insert into _groundwork.cron_ticks (jobid, tick_at)
    select jobid, ${tick.toISOString()}::timestamptz from cron.job where jobid = ${jobid}::bigint and active
    on conflict do nothing returning jobid`);
  return rowCount > 0;
}

export async function startRun(db: Queryable, job: CronJob): Promise<string> {
  const { rows } = await db.query<{ runid: string }>(sql`
    insert into cron.job_run_details (jobid, database, username, command, status, start_time)
    values (${job.jobid}::bigint, current_database(), ${job.username}, ${job.command}, 'starting', now())
    returning runid::text`);
  return rows[0]?.runid as string;
}

export type RunResult = { readonly ran: false } | { readonly ran: true; readonly error: string | undefined };

/**
 * Runs the command as the job's role, under the job's lock; `ran: false` when another run of
 * the job holds it (the caller tries again later). The run's row says `running` with this
 * backend's pid, in the same transaction, so it turns visible only with the command's outcome.
 */
export async function runCommand(db: Database, job: CronJob, runid: string): Promise<RunResult> {
  try {
    return await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ locked: boolean }>(sql`select pg_try_advisory_xact_lock(${CRON_LOCK}, ${job.jobid}::int) as locked`);
      if (rows[0]?.locked !== true) return { ran: false } as const;
      await tx.query(sql`update cron.job_run_details set status = 'running', job_pid = pg_backend_pid() where runid = ${runid}::bigint`);
      await tx.query(sql`select set_config('role', ${job.username}, true)`);
      await tx.script(job.command);
      return { ran: true, error: undefined } as const;
    });
  } catch (e) {
    return { ran: true, error: e instanceof Error ? e.message : String(e) };
  }
}

export async function endRun(db: Queryable, runid: string, error: string | undefined): Promise<void> {
  await db.query(sql`
    update cron.job_run_details
    set status = ${error === undefined ? 'succeeded' : 'failed'}, return_message = ${error ?? 'ok'}, end_time = now()
    where runid = ${runid}::bigint`);
}

/** Runs a crashed or stopped node left unfinished: not under way anywhere (nobody holds their job's lock) for a minute. */
export async function failOrphanedRuns(db: Queryable): Promise<number> {
  const { rowCount } = await db.query(sql`
    update cron.job_run_details d
    set status = 'failed', return_message = 'the run ended with its node (stopped or crashed) before it finished', end_time = now()
    where status in ('starting', 'running') and start_time < now() - interval '1 minute'
      and not exists (
        select 1 from pg_locks l
        where l.locktype = 'advisory' and l.granted and l.classid::bigint = ${CRON_LOCK} and l.objid::bigint = d.jobid and l.objsubid = 2)`);
  return rowCount;
}
