// The queue scenario's three systems behind one shape, so each does the same work:
// JOBS small JSON jobs sent one per statement by CONCURRENCY producers, then the same sent
// SEND_BATCH per statement, and CONCURRENCY consumers that fetch BATCH jobs, handle them
// (no-op) and complete them.
// - Groundwork: pgmq's SQL API over node-postgres (the client both peers use):
//   `pgmq.send`, `pgmq.send_batch`, `pgmq.read(q, 30, BATCH)` then `pgmq.delete(q, ids)`.
// - pg-boss: `send`, `insert`, `fetch(q, {batchSize: BATCH})` then `complete(q, ids)` in
//   our loop (no work(): its polling interval, at least 0.5 s, would be what we measure).
// - graphile-worker: `addJob`, `addJobs`, and its own runner (`run`) with CONCURRENCY
//   workers; by default with its documented batching on (localQueue.size = BATCH,
//   completeJobBatchDelay = 0), GRAPHILE_BATCHING=0 for its defaults.
// Consumers that find nothing wait 1 ms and look again (pgmq, pg-boss); graphile-worker
// is woken by its LISTEN/NOTIFY.
import pg from 'pg';
import PgBoss from 'pg-boss';
import { Logger, makeWorkerUtils, run } from 'graphile-worker';
import { env, sleep } from './common.ts';

export const JOBS = env('JOBS', 10_000);
export const CONCURRENCY = env('CONCURRENCY', 4);
export const BATCH = env('BATCH', 10);
export const SEND_BATCH = env('SEND_BATCH', 100);
const GRAPHILE_BATCHING = process.env.GRAPHILE_BATCHING !== '0';
const Q = 'bench';

export interface QueueSystem {
  send(i: number): Promise<void>;
  sendBatch(from: number, n: number): Promise<void>;
  /** Handles and completes `total` jobs (sent before or meanwhile); resolves when all are completed. */
  consume(total: number): Promise<void>;
  close(): Promise<void>;
}

const payload = (i: number) => ({ i, kind: 'bench', at: 1_700_000_000_000 + i });

/** `loops` async loops taking numbers from 0..n-1 in order. */
async function inLoops(n: number, loops: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: loops }, async () => {
      while (next < n) await work(next++);
    }),
  );
}

/** CONCURRENCY loops of fetch → complete until `total` jobs are done. */
async function fetchLoops(total: number, fetchAndComplete: () => Promise<number>): Promise<void> {
  let done = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (done < total) {
        const n = await fetchAndComplete();
        done += n;
        if (n === 0) await sleep(1);
      }
    }),
  );
}

export async function groundworkQueue(url: string): Promise<QueueSystem> {
  const pool = new pg.Pool({ connectionString: url, max: 2 * CONCURRENCY });
  await pool.query(`select pgmq.create($1)`, [Q]);
  return {
    send: async (i) => void (await pool.query(`select pgmq.send($1::text, $2::jsonb)`, [Q, JSON.stringify(payload(i))])),
    sendBatch: async (from, n) => {
      const msgs = JSON.stringify(Array.from({ length: n }, (_, k) => payload(from + k)));
      await pool.query(`select pgmq.send_batch($1::text, array(select jsonb_array_elements($2::jsonb)))`, [Q, msgs]);
    },
    consume: (total) =>
      fetchLoops(total, async () => {
        const { rows } = await pool.query<{ msg_id: string }>(`select msg_id from pgmq.read($1::text, 30, $2::int)`, [Q, BATCH]);
        if (rows.length > 0) await pool.query(`select pgmq.delete($1::text, $2::bigint[])`, [Q, rows.map((r) => r.msg_id)]);
        return rows.length;
      }),
    close: () => pool.end(),
  };
}

export async function pgBossQueue(url: string): Promise<QueueSystem> {
  // Defaults otherwise (its maintenance and cron monitor run as in production).
  const boss = new PgBoss({ connectionString: url, max: 2 * CONCURRENCY });
  boss.on('error', (e: unknown) => process.stderr.write(`pg-boss: ${String(e)}\n`));
  await boss.start();
  await boss.createQueue(Q);
  return {
    send: async (i) => void (await boss.send(Q, payload(i))),
    sendBatch: (from, n) => boss.insert(Array.from({ length: n }, (_, k) => ({ name: Q, data: payload(from + k) }))),
    consume: (total) =>
      fetchLoops(total, async () => {
        const jobs = await boss.fetch(Q, { batchSize: BATCH });
        if (jobs.length > 0) await boss.complete(Q, jobs.map((j) => j.id));
        return jobs.length;
      }),
    close: () => boss.stop({ graceful: false, wait: true }),
  };
}

export async function graphileQueue(url: string): Promise<QueueSystem> {
  const logger = new Logger(() => () => undefined);
  const utils = await makeWorkerUtils({ connectionString: url, maxPoolSize: CONCURRENCY, logger });
  await utils.migrate();
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  return {
    send: async (i) => void (await utils.addJob('t', payload(i))),
    sendBatch: async (from, n) => void (await utils.addJobs(Array.from({ length: n }, (_, k) => ({ identifier: 't', payload: payload(from + k) })))),
    consume: async (total) => {
      let handled = 0;
      const runner = await run({
        connectionString: url,
        concurrency: CONCURRENCY,
        maxPoolSize: CONCURRENCY + 2,
        noHandleSignals: true,
        pollInterval: 1000,
        logger,
        taskList: { t: async () => void handled++ },
        ...(GRAPHILE_BATCHING ? { preset: { worker: { localQueue: { size: BATCH }, completeJobBatchDelay: 0 } } } : {}),
      });
      // Done when every job ran and its completion is written (completions may be batched).
      const left = async () => Number((await pool.query<{ n: string }>(`select count(*) as n from graphile_worker._private_jobs`)).rows[0]?.n ?? 0);
      while (handled < total || (await left()) > 0) await sleep(handled < total ? 5 : 2);
      await runner.stop();
    },
    close: async () => {
      await utils.release();
      await pool.end();
    },
  };
}

/** One round on a fresh system: send, process, batched send (then drained), end to end. Jobs/s each. */
export async function queueRound(system: QueueSystem, jobs = JOBS): Promise<Record<string, number>> {
  const rate = (t0: number) => Math.round(jobs / ((performance.now() - t0) / 1000));
  let t0 = performance.now();
  await inLoops(jobs, CONCURRENCY, (i) => system.send(i));
  const send = rate(t0);
  t0 = performance.now();
  await system.consume(jobs);
  const processed = rate(t0);
  t0 = performance.now();
  await inLoops(Math.ceil(jobs / SEND_BATCH), CONCURRENCY, (b) => system.sendBatch(b * SEND_BATCH, Math.min(SEND_BATCH, jobs - b * SEND_BATCH)));
  const sendBatch = rate(t0);
  await system.consume(jobs);
  t0 = performance.now();
  await Promise.all([inLoops(jobs, CONCURRENCY, (i) => system.send(i)), system.consume(jobs)]);
  const e2e = rate(t0);
  return { send_per_s: send, process_per_s: processed, send_batch_per_s: sendBatch, end_to_end_per_s: e2e };
}
