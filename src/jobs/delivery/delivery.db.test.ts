// Outbound HTTP end to end on one database: SQL queues (net.http_*, Supabase's webhook
// trigger, groundwork.create_webhook), the dispatcher sends after commit to a local receiver,
// and every attempt is recorded.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { openTestDatabase, dbKind } from '../../../test/support/db.ts';
import { DbError } from '../../db/errors.ts';
import type { Database } from '../../db/port.ts';
import { parseAllowList, type AllowList } from '../../lib/allow-list.ts';
import { sql } from '../../lib/sql.ts';
import type { Observation } from '../../observe/events.ts';
import { startDispatcher, type Dispatcher } from './dispatcher.ts';

interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

const SECRET = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
const OWN_SECRET = `whsec_${Buffer.alloc(24, 2).toString('base64')}`;
const allow = parseAllowList('127.0.0.1') as AllowList;

describe(`outbound HTTP from SQL (${dbKind})`, () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Database;
  let server: Server;
  let base: string;
  let received: Received[] = [];
  /** Answers for the next requests, in order (then 200). */
  let answers: Array<number | 'slow'> = [];
  let dispatcher: Dispatcher | undefined;
  let seen: Observation[] = [];

  before(async () => {
    t = await openTestDatabase();
    db = t.db;
    await db.script(`create table public.orders (id int primary key, item text, qty int)`);
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
        const answer = answers.shift() ?? 200;
        if (answer === 'slow') return void setTimeout(() => res.end('late'), 1_500);
        res.writeHead(answer, { 'content-type': 'text/plain' }).end(`answer ${answer}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await dispatcher?.stop();
    server.close();
    await t.dispose();
  });
  beforeEach(async () => {
    await dispatcher?.stop();
    dispatcher = undefined;
    received = [];
    answers = [];
    seen = [];
    await db.script(`truncate net.http_request_queue, net._http_response, supabase_functions.hooks, public.orders cascade`);
  });

  const start = async (over: { maxAttempts?: number; allowList?: AllowList } = {}) => {
    dispatcher = await startDispatcher({
      db,
      allow: over.allowList ?? allow,
      secret: SECRET,
      policy: { maxAttempts: over.maxAttempts ?? 3, baseMs: 20, maxMs: 100 },
      concurrency: 8,
      endpointConcurrency: 2,
      observe: (o) => void seen.push(o),
      sweepMs: 50,
    });
  };
  const settled = async (n = 1, timeoutMs = 8_000) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await db.query<{ n: number }>(sql`select count(*)::int as n from net.http_request_queue where state <> 'pending'`);
      if ((rows[0]?.n ?? 0) >= n) return;
      if (Date.now() > until) assert.fail(`fewer than ${n} requests finished within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const requests = async () =>
    (await db.query<{ state: string; attempts: number; last_status: number | null; last_error: string | null }>(sql`
      select state, attempts, last_status, last_error from net.http_request_queue order by id`)).rows;

  it('sends net.http_post after commit only, and keeps the response as pg_net does', async () => {
    await start();
    await db.transaction(async (tx) => {
      await tx.query(sql`select net.http_post(${`${base}/kept`}, '{"a":1}'::jsonb, '{"q":"x y"}'::jsonb)`);
    });
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.query(sql`select net.http_post(${`${base}/dropped`})`);
        throw new Error('roll back');
      }),
      /roll back/,
    );
    await settled(1);
    assert.deepEqual(received.map((r) => [r.method, r.url, r.body, r.headers['content-type']]), [['POST', '/kept?q=x+y', '{"a": 1}', 'application/json']]);
    const { rows } = await db.query<{ status_code: number; content: string; timed_out: boolean }>(sql`select status_code, content, timed_out from net._http_response`);
    assert.deepEqual(rows, [{ status_code: 200, content: 'answer 200', timed_out: false }]);
    assert.equal(received[0]?.headers['webhook-id'], undefined, 'pg_net calls are not signed');
  });

  it("runs Supabase's webhook trigger unchanged: its payload, signed with the project's secret, audited in supabase_functions.hooks", async () => {
    await db.script(`
      create trigger orders_hook after insert or update or delete on public.orders for each row
      execute function supabase_functions.http_request('${base}/hook', 'POST', '{"Content-Type":"application/json","Authorization":"Bearer k"}', '{}', '1000')`);
    await start();
    await db.script(`insert into public.orders values (1, 'tea', 2); update public.orders set qty = 3 where id = 1; delete from public.orders where id = 1`);
    await settled(3);
    const bodies = received.map((r) => JSON.parse(r.body) as Record<string, unknown>).sort((a, b) => String(a['type']).localeCompare(String(b['type'])));
    assert.deepEqual(bodies, [
      { type: 'DELETE', table: 'orders', schema: 'public', record: null, old_record: { id: 1, item: 'tea', qty: 3 } },
      { type: 'INSERT', table: 'orders', schema: 'public', record: { id: 1, item: 'tea', qty: 2 }, old_record: null },
      { type: 'UPDATE', table: 'orders', schema: 'public', record: { id: 1, item: 'tea', qty: 3 }, old_record: { id: 1, item: 'tea', qty: 2 } },
    ]);
    for (const r of received) {
      assert.equal(r.headers['authorization'], 'Bearer k');
      assert.ok(new Webhook(SECRET).verify(r.body, r.headers as Record<string, string>));
    }
    assert.equal(new Set(received.map((r) => r.headers['webhook-id'])).size, 3);
    const hooks = await db.query(sql`select hook_name from supabase_functions.hooks where request_id is not null`);
    assert.equal(hooks.rowCount, 3);
    await db.script(`drop trigger orders_hook on public.orders`);
  });

  it('declares webhooks in SQL with their own events, secret and attempt limit; lists and drops them', async () => {
    await db.query(sql`select groundwork.create_webhook('order_created', 'public.orders', array['insert'], ${`${base}/own`}, secret => ${OWN_SECRET}, max_attempts => 1)`);
    const { rows: listed } = await db.query(sql`select schema, "table", name, events, url, method, own_secret, max_attempts from groundwork.webhooks`);
    assert.deepEqual(listed, [{ schema: 'public', table: 'orders', name: 'order_created', events: ['INSERT'], url: `${base}/own`, method: 'POST', own_secret: true, max_attempts: 1 }]);
    answers = [500];
    await start({ maxAttempts: 5 });
    await db.script(`insert into public.orders values (2, 'cake', 1); update public.orders set qty = 2`);
    await settled(1);
    assert.equal(received.length, 1, 'updates are not its event');
    assert.ok(new Webhook(OWN_SECRET).verify(received[0]?.body ?? '', received[0]?.headers as Record<string, string>));
    assert.deepEqual(await requests(), [{ state: 'dead', attempts: 1, last_status: 500, last_error: null }], 'its own limit of one attempt');
    assert.equal((await db.query(sql`select groundwork.drop_webhook('order_created', 'public.orders') as dropped`)).rows[0]?.['dropped'], true);
    assert.equal((await db.query(sql`select count(*)::int as n from groundwork.webhooks`)).rows[0]?.['n'], 0);
  });

  it('retries with the same webhook-id until the receiver answers, logging every attempt', async () => {
    await db.query(sql`select groundwork.create_webhook('retried', 'public.orders', array['INSERT'], ${`${base}/flaky`})`);
    answers = [503, 500];
    await start();
    await db.script(`insert into public.orders values (3, 'jam', 1)`);
    await settled(1);
    assert.deepEqual(await requests(), [{ state: 'succeeded', attempts: 3, last_status: 200, last_error: null }]);
    assert.equal(new Set(received.map((r) => r.headers['webhook-id'])).size, 1);
    const { rows } = await db.query<{ attempt: number; status: number }>(sql`select attempt, status from _groundwork.http_attempts order by attempt`);
    assert.deepEqual(rows, [{ attempt: 1, status: 503 }, { attempt: 2, status: 500 }, { attempt: 3, status: 200 }]);
    assert.deepEqual(seen.filter((o) => o.type === 'http-delivery').map((o) => (o.type === 'http-delivery' ? o.outcome : '')), ['pending', 'pending', 'succeeded']);
    await db.script(`drop trigger retried on public.orders`);
  });

  it('dead-letters after the last attempt; redelivery sends it again', async () => {
    answers = [500, 500];
    await start({ maxAttempts: 2 });
    await db.script(`
      create trigger dlq after insert on public.orders for each row
      execute function supabase_functions.http_request('${base}/dead', 'POST', '{}', '{}', '1000')`);
    await db.script(`insert into public.orders values (4, 'pie', 1)`);
    await settled(1);
    assert.deepEqual(await requests(), [{ state: 'dead', attempts: 2, last_status: 500, last_error: null }]);
    const { rows } = await db.query<{ ok: boolean }>(sql`select groundwork.redeliver(id) as ok from net.http_request_queue`);
    assert.deepEqual(rows, [{ ok: true }]);
    await settled(1);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(await requests(), [{ state: 'succeeded', attempts: 3, last_status: 200, last_error: null }]);
    assert.equal(new Set(received.map((r) => r.headers['webhook-id'])).size, 1, 'a redelivery keeps its webhook-id');
    const { rows: log } = await db.query<{ attempt: number; status: number }>(sql`select attempt, status from _groundwork.http_attempts order by attempt`);
    assert.deepEqual(log, [{ attempt: 1, status: 500 }, { attempt: 2, status: 500 }, { attempt: 3, status: 200 }], 'the log keeps every attempt, before and after');
    await db.script(`drop trigger dlq on public.orders`);
  });

  it('takes an API answer as final, times out slow receivers, refuses targets outside the allow-list', async () => {
    answers = [404, 'slow'];
    await start({ maxAttempts: 1, allowList: parseAllowList('127.0.0.1, 10.0.0.0/8') as AllowList });
    await db.query(sql`select net.http_get(${`${base}/missing`})`);
    await settled(1);
    await db.query(sql`select net.http_get(${`${base}/slow`}, timeout_milliseconds => 200)`);
    await settled(2);
    await db.query(sql`select net.http_get('http://192.168.1.1/internal'), net.http_get('http://localhost:1/x')`);
    await settled(4);
    const rows = await requests();
    assert.deepEqual(rows.slice(0, 2).map((r) => [r.state, r.last_status]), [['failed', 404], ['failed', null]]);
    const { rows: timedOut } = await db.query(sql`select timed_out, error_msg from net._http_response where status_code is null order by id limit 1`);
    assert.deepEqual(timedOut, [{ timed_out: true, error_msg: 'timed out' }]);
    assert.equal(rows[2]?.state, 'dead');
    assert.match(rows[2]?.last_error ?? '', /192\.168\.1\.1 is outside the allow-list/);
    assert.equal(rows[3]?.state, 'failed', 'localhost is listed (127.0.0.1), but nothing listens on port 1');
    assert.match(rows[3]?.last_error ?? '', /ECONNREFUSED/);
  });

  it('refuses bad input with clear errors', async () => {
    const cases: ReadonlyArray<readonly [string, () => Promise<unknown>, RegExp]> = [
      ['a URL that is not http', () => db.query(sql`select net.http_post('ftp://x/y')`), /invalid url: ftp:\/\/x\/y/],
      ['a timeout out of range', () => db.query(sql`select net.http_get(${base}, timeout_milliseconds => 0)`), /invalid timeout_milliseconds: 0/],
      ['events that are not row events', () => db.query(sql`select groundwork.create_webhook('w', 'public.orders', array['TRUNCATE'], ${base})`), /invalid webhook events/],
      ['a secret that is not whsec_', () => db.query(sql`select groundwork.create_webhook('w', 'public.orders', array['INSERT'], ${base}, secret => 'abc')`), /invalid webhook secret/],
      ['a table that does not exist', () => db.query(sql`select groundwork.create_webhook('w', 'public.nope', array['INSERT'], ${base})`), /relation "public.nope" does not exist/],
    ];
    for (const [what, call, message] of cases) {
      await assert.rejects(call(), (e: unknown) => e instanceof DbError && message.test(e.message) && ['22023', '42P01'].includes(e.sqlstate), what);
    }
  });
});
