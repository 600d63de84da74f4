// Consumers Groundwork runs for queues (groundwork.create_consumer): each registered queue is
// read with pgmq.read, at most `concurrency` messages at a time per node, and each message is
// POSTed to the consumer's endpoint, signed like a webhook. A 2xx answer deletes it; any other
// outcome (an error answer, a timeout, a refused target) makes it visible again after a
// backoff, and once it has been read `max_attempts` times the queue's retry limit moves it to
// the dead-letter queue on the next read. A node that dies mid-request leaves the message
// invisible until its visibility timeout: then it is read again. An idle queue is polled less
// often, down to once a second.
import { sql } from '../../lib/sql.ts';
import type { Database, Unlisten } from '../../db/port.ts';
import type { AllowList } from '../../lib/allow-list.ts';
import type { Observer } from '../../observe/events.ts';
import { backoffMs, type RetryPolicy } from '../delivery/outcome.ts';
import { headersOf, loggedUrl, sign } from '../delivery/request.ts';
import { createSender } from '../delivery/send.ts';

const NOTIFY_CHANNEL = 'groundwork_consumers';
const RELOAD_MS = 30_000;
const POLL_MIN_MS = 50;
const POLL_MAX_MS = 1_000;

type Consumer = {
  readonly queue: string;
  readonly url: string;
  readonly headers: Record<string, unknown>;
  readonly concurrency: number;
  readonly visibilityTimeout: number;
  readonly timeoutMs: number;
  readonly maxAttempts: number | null;
};

type Message = { readonly msg_id: string; readonly read_ct: number; readonly enqueued_at: string; readonly message: unknown; readonly headers: unknown };

export interface ConsumerOptions {
  readonly db: Database;
  readonly allow: AllowList;
  /** This server's own functions, reachable whatever the allow-list says. */
  readonly ownFunctions?: (url: URL) => boolean;
  readonly secret: string;
  readonly policy: RetryPolicy;
  readonly observe: Observer;
}

export interface Consumers {
  reload(): Promise<void>;
  stop(): Promise<void>;
}

interface Running {
  consumer: Consumer;
  stopped: boolean;
  inflight: number;
  wake: (() => void) | undefined;
  done: Promise<void>;
}

const sleep = (ms: number, running: Running) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    running.wake = () => {
      clearTimeout(t);
      resolve();
    };
  });

export async function startConsumers(options: ConsumerOptions): Promise<Consumers> {
  const { db, observe } = options;
  const sender = createSender(options.allow, options.ownFunctions);
  const running = new Map<string, Running>();
  const failed = (e: unknown) => observe({ type: 'jobs-worker-failed', worker: 'queue-consumers', error: e instanceof Error ? e.message : String(e) });

  async function handle(r: Running, m: Message): Promise<void> {
    const c = r.consumer;
    const body = Buffer.from(JSON.stringify({ queue_name: c.queue, msg_id: Number(m.msg_id), read_ct: m.read_ct, enqueued_at: m.enqueued_at, message: m.message, headers: m.headers }));
    const id = `msg_${c.queue}_${m.msg_id}`;
    const now = new Date();
    const headers = headersOf({ 'content-type': 'application/json', ...c.headers });
    sign(headers, options.secret, id, now, body);
    const url = new URL(c.url);
    const t0 = performance.now();
    const result = await sender.send({ method: 'POST', url, headers, body, timeoutMs: c.timeoutMs });
    const ms = Math.round(performance.now() - t0);
    const ok = result.kind === 'response' && result.status >= 200 && result.status < 300;
    const last = c.maxAttempts !== null && m.read_ct >= c.maxAttempts;
    if (ok) await db.query(sql`select pgmq.delete(${c.queue}, ${m.msg_id}::bigint)`);
    // The last attempt's message is made visible at once: the next read moves it to the dead-letter queue.
    else await db.query(sql`select msg_id from pgmq.set_vt(${c.queue}, ${m.msg_id}::bigint, ${last ? 0 : Math.ceil(backoffMs(m.read_ct, options.policy) / 1000)}::int)`);
    observe({
      type: 'http-delivery',
      id,
      webhook: `queue ${c.queue}`,
      method: 'POST',
      url: loggedUrl(url),
      attempt: m.read_ct,
      status: result.kind === 'response' ? result.status : null,
      ms,
      outcome: ok ? 'succeeded' : last ? 'dead' : 'pending',
      ...(result.kind === 'error' ? { error: result.message } : {}),
    });
  }

  async function loop(r: Running): Promise<void> {
    let idleMs = POLL_MIN_MS;
    while (!r.stopped) {
      const free = r.consumer.concurrency - r.inflight;
      if (free <= 0) {
        await sleep(POLL_MAX_MS, r);
        continue;
      }
      let batch: Message[] = [];
      try {
        batch = (await db.query<Message>(sql`
          select msg_id::text, read_ct, enqueued_at::text, message, headers from pgmq.read(${r.consumer.queue}, ${r.consumer.visibilityTimeout}::int, ${free}::int)`)).rows;
      } catch (e) {
        failed(e);
      }
      for (const m of batch) {
        r.inflight++;
        void handle(r, m)
          .catch(failed)
          .finally(() => {
            r.inflight--;
            r.wake?.();
          });
      }
      if (batch.length > 0) idleMs = POLL_MIN_MS;
      else {
        await sleep(idleMs, r);
        idleMs = Math.min(POLL_MAX_MS, idleMs * 2);
      }
    }
    while (r.inflight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  async function stopOne(r: Running): Promise<void> {
    r.stopped = true;
    r.wake?.();
    await r.done;
  }

  async function readConsumers(): Promise<void> {
    const { rows } = await db.query<Consumer>(sql`
      select c.queue_name as queue, c.url, c.headers, c.concurrency, c.visibility_timeout as "visibilityTimeout", c.timeout_ms as "timeoutMs", m.max_reads as "maxAttempts"
      from _groundwork.queue_consumers c join pgmq.meta m on m.queue_name = c.queue_name`);
    const wanted = new Map(rows.map((c) => [c.queue, c]));
    for (const [queue, r] of running) {
      const now = wanted.get(queue);
      if (now === undefined || JSON.stringify(now) !== JSON.stringify(r.consumer)) {
        running.delete(queue);
        await stopOne(r);
      }
    }
    for (const [queue, consumer] of wanted) {
      if (running.has(queue)) continue;
      const r: Running = { consumer, stopped: false, inflight: 0, wake: undefined, done: Promise.resolve() };
      r.done = loop(r);
      running.set(queue, r);
    }
  }

  // One reload at a time: two at once could both start a queue's loop.
  let reloading: Promise<void> = Promise.resolve();
  const reload = (): Promise<void> => (reloading = reloading.catch(() => undefined).then(readConsumers));

  await reload();
  const unlisten: Unlisten = await db.listen(NOTIFY_CHANNEL, () => void reload().catch(failed));
  const every = setInterval(() => void reload().catch(failed), RELOAD_MS);
  every.unref();
  return {
    reload,
    stop: async () => {
      clearInterval(every);
      await unlisten();
      await Promise.all([...running.values()].map(stopOne));
      running.clear();
      sender.close();
    },
  };
}
