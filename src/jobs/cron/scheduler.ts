// Runs cron.job's jobs on time. Every node computes the same ticks from each job's schedule
// (UTC; intervals aligned to the epoch), and the first to claim a tick runs it (runs.ts):
// each tick once across nodes. The job list is read at start, on the NOTIFY that changes to
// cron.job raise at commit, and every 30 s in case one was missed. Missed ticks are not
// made up (pg_cron does not either). A job still running when its next tick comes runs
// again as soon as it ends, once however many ticks it missed, as pg_cron queues it.
import type { Database, Unlisten } from '../../db/port.ts';
import type { Observer } from '../../observe/events.ts';
import { activeJobs, claimTick, endRun, failOrphanedRuns, NOTIFY_CHANNEL, runCommand, startRun, type CronJob } from './runs.ts';
import { nextTick, parseSchedule, type Schedule } from './schedule.ts';

const RELOAD_MS = 30_000;
/** Longest sleep between checks, so a clock jump or a slow reload is noticed soon. */
const MAX_SLEEP_MS = 1_000;
/** How often a run waiting for its job's lock (held by a run on another node) tries again. */
const LOCK_RETRY_MS = 500;
/** Runs under way at once on this node (Supabase recommends at most 8 concurrent jobs). */
const MAX_RUNNING = 8;

interface Entry {
  job: CronJob;
  schedule: Schedule;
  next: Date;
  running: boolean;
  /** A tick came while it ran: run once more when it ends. */
  queued: Date | undefined;
}

export interface Scheduler {
  /** Reads cron.job again now. */
  reload(): Promise<void>;
  stop(): Promise<void>;
}

export async function startScheduler(db: Database, observe: Observer, clock: () => number = Date.now): Promise<Scheduler> {
  const entries = new Map<string, Entry>();
  const underway = new Set<Promise<void>>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const failed = (e: unknown) => observe({ type: 'jobs-worker-failed', worker: 'cron-scheduler', error: e instanceof Error ? e.message : String(e) });

  async function reload(): Promise<void> {
    const jobs = await activeJobs(db);
    const now = new Date(clock());
    const seen = new Set<string>();
    for (const job of jobs) {
      seen.add(job.jobid);
      const had = entries.get(job.jobid);
      if (had !== undefined && had.job.schedule === job.schedule) {
        had.job = job;
        continue;
      }
      const schedule = parseSchedule(job.schedule);
      // cron.schedule checks every schedule; one that fails here was written around it.
      if ('error' in schedule) {
        failed(new Error(`cron job ${job.jobid}: ${schedule.error}`));
        continue;
      }
      entries.set(job.jobid, { job, schedule, next: nextTick(schedule, now), running: had?.running ?? false, queued: undefined });
    }
    for (const id of entries.keys()) if (!seen.has(id)) entries.delete(id);
    arm();
  }

  async function run(entry: Entry, tick: Date): Promise<void> {
    const { job } = entry;
    const begun = clock();
    const lateMs = Math.max(0, begun - tick.getTime());
    const runid = await startRun(db, job);
    let result = await runCommand(db, job, runid);
    while (!result.ran && !stopped) {
      await new Promise((r) => setTimeout(r, LOCK_RETRY_MS));
      result = await runCommand(db, job, runid);
    }
    const error = result.ran ? result.error : 'not run: the node stopped while another run of the job was under way';
    await endRun(db, runid, error);
    observe({ type: 'cron-run', jobid: job.jobid, jobname: job.jobname, runid, status: error === undefined ? 'succeeded' : 'failed', ms: Math.round(clock() - begun), lateMs, ...(error !== undefined ? { error } : {}) });
  }

  function launch(entry: Entry, tick: Date): void {
    entry.running = true;
    const p = run(entry, tick)
      .catch(failed)
      .finally(() => {
        underway.delete(p);
        entry.running = false;
        startQueued();
      });
    underway.add(p);
  }

  /** Claimed ticks that waited for their job's run to end or for a free slot: started as slots free, oldest first. */
  function startQueued(): void {
    const waiting = [...entries.values()].filter((e) => e.queued !== undefined && !e.running).sort((a, b) => (a.queued?.getTime() ?? 0) - (b.queued?.getTime() ?? 0));
    for (const entry of waiting) {
      if (stopped || underway.size >= MAX_RUNNING) return;
      const tick = entry.queued as Date;
      entry.queued = undefined;
      launch(entry, tick);
    }
  }

  async function due(entry: Entry, tick: Date): Promise<void> {
    if (!(await claimTick(db, entry.job.jobid, tick))) return;
    if (entry.running || underway.size >= MAX_RUNNING) entry.queued = tick;
    else launch(entry, tick);
  }

  function check(): void {
    timer = undefined;
    if (stopped) return;
    const now = clock();
    const claims: Promise<void>[] = [];
    for (const entry of entries.values()) {
      if (entry.next.getTime() > now) continue;
      const tick = entry.next;
      entry.next = nextTick(entry.schedule, new Date(Math.max(now, tick.getTime())));
      claims.push(due(entry, tick).catch(failed));
    }
    void Promise.all(claims).finally(arm);
  }

  function arm(): void {
    if (stopped) return;
    if (timer !== undefined) clearTimeout(timer);
    let soonest = clock() + MAX_SLEEP_MS;
    for (const e of entries.values()) soonest = Math.min(soonest, e.next.getTime());
    timer = setTimeout(check, Math.max(0, soonest - clock()));
  }

  await failOrphanedRuns(db).catch(failed);
  await reload();
  const unlisten: Unlisten = await db.listen(NOTIFY_CHANNEL, () => void reload().catch(failed));
  const every = setInterval(() => {
    void reload().catch(failed);
    void failOrphanedRuns(db).catch(failed);
  }, RELOAD_MS);
  every.unref();
  return {
    reload,
    stop: async () => {
      stopped = true;
      clearInterval(every);
      if (timer !== undefined) clearTimeout(timer);
      await unlisten();
      await Promise.all(underway);
    },
  };
}
