// The webhooks scenario. A receiver in this process (node:http, 200 as soon as the body is
// read) notes when each row's event arrives. EVENTS rows go in INSERT_BATCH per statement,
// one after another as fast as the database takes them; each statement's return is the
// commit time of its rows. Figures: deliveries/s from the first insert to the last receipt,
// and commit-to-receipt p50/p99 in that burst and at a gentle pace (see drive).
// - Groundwork: `groundwork.create_webhook(..., array['INSERT'], url)` on the table, sent
//   by the server's dispatcher with its defaults (GROUNDWORK_WEBHOOK_CONCURRENCY 32, 8 per
//   receiver), LOG_LEVEL=warn (no log line per delivery; each attempt is still recorded in
//   the database).
// - Baseline: what one would write by hand on the same PostgreSQL. A trigger writes the same
//   payload to an outbox table; RELAY_CONCURRENCY (8, Groundwork's per-receiver limit)
//   loops each take RELAY_BATCH (10) rows `for update skip locked` in a transaction, POST them
//   one by one over keep-alive connections, delete them and commit; an empty outbox is
//   polled again after 5 ms. It keeps no record of attempts, no retries, no signatures.
import { once } from 'node:events';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import postgres from 'postgres';
import { percentile } from '../bench-realtime/clients.ts';
import { env, sleep, startGroundwork } from './common.ts';

export const EVENTS = env('EVENTS', 5_000);
const INSERT_BATCH = env('INSERT_BATCH', 100);
const RELAY_CONCURRENCY = env('RELAY_CONCURRENCY', 8);
const RELAY_BATCH = env('RELAY_BATCH', 10);
const PACED_RATE = env('PACED_RATE', 50);
const PACED_SECONDS = env('PACED_SECONDS', 5);

const TABLE = `create table public.hook_events (id bigint generated always as identity primary key, batch int not null, n int not null, note text not null default 'bench')`;

interface Receiver {
  readonly url: string;
  /** Receipt time (ms since epoch) of each row id. */
  readonly received: Map<number, number>;
  duplicates: number;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const received = new Map<number, number>();
  const receiver = { duplicates: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      res.writeHead(200).end();
      const id = Number((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { record?: { id?: number } }).record?.id);
      if (received.has(id)) receiver.duplicates++;
      else received.set(id, at);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  });
}

/** Waits until `n` events arrived (or a deadline); commit-to-receipt latencies of rows in `batches`. */
async function arrivals(sql: postgres.Sql, receiver: Receiver, n: number, committed: ReadonlyMap<number, number>): Promise<{ latencies: number[]; last: number }> {
  const deadline = Date.now() + Math.max(60_000, n * 20);
  while (receiver.received.size < n && Date.now() < deadline) await sleep(20);
  const batchOf = new Map((await sql<Array<{ id: string; batch: number }>>`select id::text, batch from public.hook_events`).map((r) => [Number(r.id), r.batch]));
  const latencies: number[] = [];
  let last = 0;
  for (const [id, at] of receiver.received) {
    const commit = committed.get(batchOf.get(id) ?? -1);
    if (commit === undefined) continue;
    last = Math.max(last, at);
    latencies.push(Math.max(0, at - commit));
  }
  return { latencies, last };
}

/**
 * A burst: EVENTS rows inserted INSERT_BATCH per statement, back to back (deliveries/s from
 * the first insert to the last receipt; the latencies are mostly the backlog's wait). Then
 * paced: PACED_RATE (50) single-row inserts a second for PACED_SECONDS (5): the latency of
 * one event when nothing is queued.
 */
async function drive(sql: postgres.Sql, receiver: Receiver): Promise<Record<string, number>> {
  const burst = new Map<number, number>();
  const t0 = Date.now();
  let b = 0;
  for (; b * INSERT_BATCH < EVENTS; b++) {
    await sql`insert into public.hook_events (batch, n) select ${b}, g from generate_series(1, ${Math.min(INSERT_BATCH, EVENTS - b * INSERT_BATCH)}) g`;
    burst.set(b, Date.now());
  }
  const insertSeconds = (Date.now() - t0) / 1000;
  const { latencies, last } = await arrivals(sql, receiver, EVENTS, burst);
  const delivered = receiver.received.size;
  const paced = new Map<number, number>();
  const p0 = performance.now();
  for (let k = 0; k < PACED_RATE * PACED_SECONDS; k++, b++) {
    await sleep(p0 + (k * 1000) / PACED_RATE - performance.now());
    await sql`insert into public.hook_events (batch, n) values (${b}, 1)`;
    paced.set(b, Date.now());
  }
  const slow = await arrivals(sql, receiver, EVENTS + paced.size, paced);
  return {
    delivered: delivered + slow.latencies.length,
    duplicates: receiver.duplicates,
    inserts_per_s: Math.round(EVENTS / insertSeconds),
    deliveries_per_s: Math.round(delivered / ((last - t0) / 1000)),
    burst_p50_ms: percentile(latencies, 50),
    burst_p99_ms: percentile(latencies, 99),
    paced_p50_ms: percentile(slow.latencies, 50),
    paced_p99_ms: percentile(slow.latencies, 99),
  };
}

/** Groundwork on `databaseUrl` (server mode) or embedded (through its database port). */
export async function webhookRound(databaseUrl: string | undefined): Promise<Record<string, number>> {
  const receiver = await startReceiver();
  const gw = await startGroundwork(databaseUrl, { LOG_LEVEL: 'warn', GROUNDWORK_WEBHOOK_ALLOW: '127.0.0.1' });
  const sql = postgres(gw.dbUrl, { max: 1, onnotice: () => undefined });
  try {
    await sql.unsafe(TABLE);
    await sql`select groundwork.create_webhook('bench_hook', 'public.hook_events', array['INSERT'], ${receiver.url})`;
    const figures = await drive(sql, receiver);
    // The dispatcher records each attempt after the receiver answered: give it a moment.
    for (let i = 0; i < 100; i++) {
      const [row] = await sql<Array<{ n: number }>>`select count(*)::int as n from net.http_request_queue where state = 'succeeded'`;
      if ((row?.n ?? 0) >= (figures['delivered'] ?? 0)) break;
      await sleep(50);
    }
    const states = await sql<Array<{ state: string; n: number }>>`select state, count(*)::int as n from net.http_request_queue group by state`;
    const succeeded = states.find((s) => s.state === 'succeeded')?.n ?? 0;
    return { ...figures, recorded_succeeded: succeeded };
  } finally {
    await sql.end();
    await gw.stop();
    await receiver.close();
  }
}

const RELAY_SETUP = `
${TABLE};
create table public.relay_outbox (id bigint generated always as identity primary key, payload jsonb not null);
create function public.relay_enqueue() returns trigger language plpgsql as $$
begin
  insert into public.relay_outbox (payload) values (jsonb_build_object('type', TG_OP, 'table', TG_TABLE_NAME, 'schema', TG_TABLE_SCHEMA, 'record', to_jsonb(NEW), 'old_record', null));
  return NEW;
end $$;
create trigger relay after insert on public.hook_events for each row execute function public.relay_enqueue();
`;

/** The hand-written relay on `databaseUrl`. */
export async function webhookBaselineRound(databaseUrl: string): Promise<Record<string, number>> {
  const receiver = await startReceiver();
  // The inserts on a connection of their own, the relay's loops one each.
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => undefined });
  const relay = postgres(databaseUrl, { max: RELAY_CONCURRENCY, onnotice: () => undefined });
  await sql.unsafe(RELAY_SETUP);
  const agent = new Agent({ keepAlive: true });
  const post = (body: string) =>
    new Promise<void>((resolve, reject) => {
      const req = request(receiver.url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
  let stopped = false;
  const relays = Array.from({ length: RELAY_CONCURRENCY }, async () => {
    while (!stopped) {
      const n = await relay.begin(async (tx) => {
        const rows = await tx<Array<{ id: string; payload: string }>>`select id::text, payload::text from public.relay_outbox order by id limit ${RELAY_BATCH} for update skip locked`;
        for (const r of rows) await post(r.payload);
        if (rows.length > 0) await tx`delete from public.relay_outbox where id = any(${rows.map((r) => r.id)}::bigint[])`;
        return rows.length;
      });
      if (n === 0) await sleep(5);
    }
  });
  try {
    return await drive(sql, receiver);
  } finally {
    stopped = true;
    await Promise.all(relays);
    agent.destroy();
    await Promise.all([sql.end(), relay.end()]);
    await receiver.close();
  }
}
