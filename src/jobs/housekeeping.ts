// The jobs family's upkeep, on every node (each statement is safe to run twice): history
// past its window is pruned (finished outbound requests with their attempts and responses,
// cron runs and claimed ticks), and each queue that holds messages reports its depth to
// the log once a minute.
import { sql } from '../lib/sql.ts';
import type { Database } from '../db/port.ts';
import type { Observer } from '../observe/events.ts';
import { pruneRequests } from './delivery/claims.ts';

const DEPTH_EVERY_MS = 60_000;
const PRUNE_EVERY_MS = 3_600_000;

export interface Housekeeping {
  stop(): void;
}

export async function pruneHistory(db: Database, days: number): Promise<void> {
  await pruneRequests(db, days);
  await db.query(sql`delete from cron.job_run_details where end_time < now() - make_interval(days => ${days})`);
  // A tick is only needed while another node could still claim it.
  await db.query(sql`delete from _groundwork.cron_ticks where tick_at < now() - interval '1 day'`);
}

export async function reportDepths(db: Database, observe: Observer): Promise<void> {
  const { rows } = await db.query<{ queue_name: string; queue_length: string | number; oldest_msg_age_sec: number | null }>(
    sql`select queue_name, queue_length, oldest_msg_age_sec from pgmq.metrics_all() where queue_length > 0`,
  );
  for (const r of rows) observe({ type: 'queue-depth', queue: r.queue_name, length: Number(r.queue_length), oldestAgeSeconds: r.oldest_msg_age_sec });
}

export function startHousekeeping(db: Database, historyDays: number, observe: Observer): Housekeeping {
  const failed = (e: unknown) => observe({ type: 'jobs-worker-failed', worker: 'jobs-housekeeping', error: e instanceof Error ? e.message : String(e) });
  const prune = () => void pruneHistory(db, historyDays).catch(failed);
  const depths = () => void reportDepths(db, observe).catch(failed);
  // The first prune waits a minute: a start has more urgent work for the embedded database's one session.
  const timers = [setTimeout(prune, DEPTH_EVERY_MS), setInterval(prune, PRUNE_EVERY_MS), setInterval(depths, DEPTH_EVERY_MS)];
  for (const t of timers) t.unref();
  return { stop: () => timers.forEach((t) => clearTimeout(t)) };
}
