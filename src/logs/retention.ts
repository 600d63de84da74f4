// Keeps the log table within its retention: every minute, on every node (the prune's lock
// lets one work at a time). A failed round (the database away) waits for the next one.
import type { Database } from '../db/port.ts';
import { pruneLogs, type Retention } from './store-sql.ts';

const EVERY_MS = 60_000;
/** The first round waits: a start has more urgent work for the embedded database's one session. */
const FIRST_MS = 15_000;

export interface RetentionTimer {
  /** Stops the timer; resolves once a round under way has ended. */
  stop(): Promise<void>;
}

export function startRetention(db: Database, retention: Retention, everyMs = EVERY_MS, firstMs = FIRST_MS): RetentionTimer {
  let running: Promise<void> | undefined;
  const prune = () => {
    running ??= pruneLogs(db, retention).then(
      () => undefined,
      () => undefined,
    ).finally(() => {
      running = undefined;
    });
  };
  const timers = [setTimeout(prune, firstMs), setInterval(prune, everyMs)];
  for (const t of timers) t.unref();
  return {
    stop: async () => {
      timers.forEach((t) => clearTimeout(t));
      await running;
    },
  };
}
