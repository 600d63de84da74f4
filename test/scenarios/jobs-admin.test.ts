// The jobs admin API (/jobs/v1) over plain HTTP, on the Supabase-style project in
// test/fixtures/jobs: only the service_role may use it; it lists the project's webhooks,
// outbound requests with their attempts, queues with their metrics, cron jobs and their
// runs; it redelivers a finished request on request (same webhook-id) and refuses one that
// is still pending; bad paging and ids are 400s.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { SupabaseClient } from '@supabase/supabase-js';
import { Webhook } from 'standardwebhooks';
import { sql, type Sql } from '../../src/lib/sql.ts';
import { dbKind } from '../support/db.ts';
import { eventually, projectCalling, startReceiver } from '../support/jobs.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { supabase } from '../support/supabase.ts';
import { ALICE, mintToken } from '../support/tokens.ts';

/** A webhook's own Standard Webhooks secret (24 bytes). */
const OWN_SECRET = `whsec_${Buffer.alloc(24, 42).toString('base64')}`;

interface Delivery {
  id: string;
  method: string;
  url: string;
  webhook: string | null;
  webhook_table: string | null;
  message_id: string;
  state: 'pending' | 'succeeded' | 'failed' | 'dead';
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  finished_at: string | null;
}
interface DeliveryDetail extends Delivery {
  body: string | null;
  headers: Record<string, string>;
  timeout_milliseconds: number;
  attempt_log: Array<{ attempt: number; status: number | null; latency_ms: number; error: string | null; response_excerpt: string | null }>;
}
interface ApiErrorBody {
  code: string;
  message: string;
}

describe(`jobs admin API (${dbKind})`, () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let projectDir: string;
  let server: TestServer;
  let service: SupabaseClient;

  const admin = async <R extends Record<string, unknown>>(q: Sql): Promise<R[]> => (await server.gw.db.admin.query<R>(q)).rows;
  /** A request to /jobs/v1 with `key` as apikey and bearer (the service_role key unless given). */
  const call = async (path: string, options: { method?: string; key?: string | null; bearer?: string } = {}): Promise<{ status: number; body: unknown }> => {
    const key = options.key === undefined ? server.gw.keys.serviceRole : options.key;
    const headers: Record<string, string> = {};
    if (key !== null) headers['apikey'] = key;
    const bearer = options.bearer ?? key;
    if (bearer !== null) headers['authorization'] = `Bearer ${bearer}`;
    const res = await fetch(`${server.url}/jobs/v1${path}`, { method: options.method ?? 'GET', headers });
    const text = await res.text();
    return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  };
  const ok = async <T>(path: string, method = 'GET'): Promise<T> => {
    const { status, body } = await call(path, { method });
    assert.equal(status, 200, `${method} ${path}: ${JSON.stringify(body)}`);
    return body as T;
  };
  const failsWith = async (path: string, status: number, code: string, options: { method?: string; key?: string | null; bearer?: string } = {}): Promise<ApiErrorBody> => {
    const res = await call(path, options);
    assert.equal(res.status, status, `${options.method ?? 'GET'} ${path}: ${JSON.stringify(res.body)}`);
    const body = res.body as ApiErrorBody;
    assert.equal(body.code, code);
    return body;
  };
  const at = (path: string) => receiver.requests.filter((r) => r.path === path);
  /** The request this webhook queued, once it is in `state`. */
  const deliveryOf = (webhook: string, state: Delivery['state']) =>
    eventually(`a ${state} delivery of ${webhook}`, async () => (await ok<Delivery[]>(`/deliveries?state=${state}`)).find((d) => d.webhook === webhook));

  before(async () => {
    receiver = await startReceiver();
    projectDir = projectCalling(receiver.origin);
    // Retries a long way off: a request that failed once stays pending for the whole file.
    server = await startTestServer({ projectDir, env: { GROUNDWORK_WEBHOOK_ALLOW: '127.0.0.1', GROUNDWORK_WEBHOOK_RETRY_BASE_MS: '600000' } });
    service = supabase(server.url, server.gw.keys.serviceRole);
    // Tables for the webhooks the tests declare, served by REST once the schema is read again.
    await server.gw.db.admin.script(`
      create table public.tickets (id bigint generated always as identity primary key, title text not null, done boolean not null default false);
      create table public.invoices (id bigint generated always as identity primary key, total numeric not null);
      create table public.parcels (id bigint generated always as identity primary key, weight int not null);`);
    await server.gw.schema.reload('test');
  });
  after(async () => {
    await server?.stop();
    await receiver?.close();
    if (projectDir !== undefined) rmSync(projectDir, { recursive: true, force: true });
  });

  it('is for the service_role only: 403 JOB403 for anon, a signed-in user or no key; 401 for a bad token', async () => {
    const paths = ['/webhooks', '/deliveries', '/deliveries/1', '/queues', '/cron/jobs', '/cron/runs'];
    const user = await mintToken({ sub: ALICE, role: 'authenticated' });
    for (const path of paths) {
      const refused = await failsWith(path, 403, 'JOB403', { key: server.gw.keys.anon });
      assert.equal(refused.message, 'The jobs admin API needs the service_role key');
      await failsWith(path, 403, 'JOB403', { key: server.gw.keys.anon, bearer: user });
      await failsWith(path, 403, 'JOB403', { key: null });
      const forged = await call(path, { key: server.gw.keys.anon, bearer: await mintToken({ role: 'service_role' }, 'another-secret-another-secret-another-secret') });
      assert.equal(forged.status, 401, path);
    }
    await failsWith('/deliveries/1/redeliver', 403, 'JOB403', { method: 'POST', key: server.gw.keys.anon });
    assert.ok(Array.isArray(await ok('/webhooks')));
  });

  it('answers 400 JOB400 for bad paging, filters and ids', async () => {
    for (const path of ['/deliveries?limit=0', '/deliveries?limit=1001', '/deliveries?limit=ten', '/deliveries?state=lost', '/deliveries?before=-1', '/cron/runs?limit=0', '/cron/runs?jobid=abc', '/deliveries/abc']) {
      const body = await failsWith(path, 400, 'JOB400');
      assert.ok(body.message.length > 0);
    }
    assert.match((await failsWith('/deliveries?limit=0', 400, 'JOB400')).message, /^limit: /);
    assert.match((await failsWith('/deliveries?state=lost', 400, 'JOB400')).message, /^state: /);
    await failsWith('/deliveries/abc/redeliver', 400, 'JOB400', { method: 'POST' });
  });

  it("lists the migration's webhook and those made with groundwork.create_webhook", async () => {
    await admin(sql`select groundwork.create_webhook('tickets_hook', 'public.tickets', array['insert', 'UPDATE', 'delete'], ${`${receiver.origin}/tickets`},
      timeout_ms => 3000, secret => ${OWN_SECRET}, max_attempts => 1)`);
    const hooks = await ok<Array<Record<string, unknown>>>('/webhooks');
    assert.deepEqual(
      hooks.map((h) => h['name']),
      ['orders_webhook', 'tickets_hook'],
    );
    assert.deepEqual(hooks[0], {
      schema: 'public',
      table: 'orders',
      name: 'orders_webhook',
      events: ['INSERT'],
      url: `${receiver.origin}/hook`,
      method: 'POST',
      headers: '{"Content-Type":"application/json"}',
      timeout_ms: 1000,
      own_secret: false,
      max_attempts: null,
      enabled: true,
    });
    assert.deepEqual(
      { ...hooks[1], headers: JSON.parse(String(hooks[1]?.['headers'])) as unknown },
      {
        schema: 'public',
        table: 'tickets',
        name: 'tickets_hook',
        events: ['INSERT', 'UPDATE', 'DELETE'],
        url: `${receiver.origin}/tickets`,
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        timeout_ms: 3000,
        own_secret: true,
        max_attempts: 1,
        enabled: true,
      },
    );
    // Every event of the new webhook is delivered, signed with its own secret.
    const { data } = await service.from('tickets').insert({ title: 'first' }).select('id').single();
    const id = (data as { id: number }).id;
    await service.from('tickets').update({ done: true }).eq('id', id);
    await service.from('tickets').delete().eq('id', id);
    const got = await eventually('three ticket webhooks', () => (at('/tickets').length >= 3 ? at('/tickets') : undefined));
    const payloads = got.map((r) => new Webhook(OWN_SECRET).verify(r.body, r.headers as Record<string, string>) as { type: string; record: unknown; old_record: unknown });
    assert.deepEqual(payloads.map((p) => p.type).sort(), ['DELETE', 'INSERT', 'UPDATE']);
    const update = payloads.find((p) => p.type === 'UPDATE');
    assert.deepEqual([update?.old_record, update?.record], [
      { id, title: 'first', done: false },
      { id, title: 'first', done: true },
    ]);
  });

  it('lists deliveries newest first, filters them by state, pages with before, and shows one with its attempts', async () => {
    const { data } = await service.from('orders').insert({ item: 'espresso' }).select('id').single();
    const orderId = (data as { id: number }).id;
    const sent = await eventually('the espresso webhook', () => at('/hook').find((r) => r.body.includes('espresso')));
    const delivery = await eventually('its succeeded delivery', async () =>
      (await ok<Delivery[]>('/deliveries?state=succeeded')).find((d) => d.webhook === 'orders_webhook' && d.message_id === sent.headers['webhook-id']),
    );
    assert.deepEqual(
      { method: delivery.method, url: delivery.url, table: delivery.webhook_table, attempts: delivery.attempts, status: delivery.last_status, error: delivery.last_error },
      { method: 'POST', url: `${receiver.origin}/hook`, table: 'orders', attempts: 1, status: 200, error: null },
    );
    assert.ok(delivery.finished_at !== null);

    const detail = await ok<DeliveryDetail>(`/deliveries/${delivery.id}`);
    assert.equal(detail.body, sent.body, 'the body kept is the body sent');
    assert.deepEqual((JSON.parse(detail.body ?? '') as { record: { id: number } }).record.id, orderId);
    assert.deepEqual(detail.headers, { 'Content-Type': 'application/json' });
    assert.equal(detail.timeout_milliseconds, 1000);
    assert.equal(detail.attempt_log.length, 1);
    assert.deepEqual([detail.attempt_log[0]?.attempt, detail.attempt_log[0]?.status, detail.attempt_log[0]?.error], [1, 200, null]);
    assert.equal(detail.attempt_log[0]?.response_excerpt, '{"ok":true}');

    // The cron job's net.http_post calls are listed too: not webhooks.
    await eventually('a delivered cron ping', async () => ((await ok<Delivery[]>('/deliveries?state=succeeded')).some((d) => d.url === `${receiver.origin}/cron` && d.webhook === null) ? true : undefined));

    const all = await ok<Delivery[]>('/deliveries?limit=1000');
    const ids = all.map((d) => Number(d.id));
    assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
    assert.ok(all.every((d) => ['pending', 'succeeded', 'failed', 'dead'].includes(d.state)));
    const succeeded = await ok<Delivery[]>('/deliveries?state=succeeded&limit=1000');
    assert.ok(succeeded.length > 0 && succeeded.every((d) => d.state === 'succeeded'));
    const two = await ok<Delivery[]>('/deliveries?limit=2');
    assert.equal(two.length, 2);
    const next = await ok<Delivery[]>(`/deliveries?limit=2&before=${two[1]?.id}`);
    assert.ok(next.length > 0 && next.every((d) => Number(d.id) < Number(two[1]?.id)));
    await failsWith('/deliveries/999999999', 404, 'JOB404');
  });

  it('redelivers a dead request on request, with the same webhook-id, and refuses unknown ones (404)', async () => {
    await admin(sql`select groundwork.create_webhook('invoices_hook', 'public.invoices', array['INSERT'], ${`${receiver.origin}/invoices`}, max_attempts => 1)`);
    receiver.statuses.set('/invoices', 500);
    await service.from('invoices').insert({ total: 12.5 });
    const dead = await deliveryOf('invoices_hook', 'dead');
    assert.deepEqual([dead.attempts, dead.last_status], [1, 500]);
    const before = await ok<DeliveryDetail>(`/deliveries/${dead.id}`);
    assert.deepEqual(
      before.attempt_log.map((a) => [a.attempt, a.status, a.response_excerpt]),
      [[1, 500, '{"error":"receiver down"}']],
    );
    assert.equal(at('/invoices').length, 1, 'one attempt only (max_attempts => 1)');

    receiver.statuses.set('/invoices', 200);
    assert.deepEqual(await ok(`/deliveries/${dead.id}/redeliver`, 'POST'), { id: dead.id, state: 'pending' });
    const again = await eventually('the redelivery', () => (at('/invoices').length >= 2 ? at('/invoices')[1] : undefined));
    const first = at('/invoices')[0];
    assert.equal(again.headers['webhook-id'], first?.headers['webhook-id'], 'receivers can tell it is the same message');
    assert.equal(again.body, first?.body);
    const done = await eventually('the redelivered request to succeed', async () => {
      const d = await ok<DeliveryDetail>(`/deliveries/${dead.id}`);
      return d.state === 'succeeded' ? d : undefined;
    });
    assert.equal(done.last_status, 200);
    assert.equal(done.last_error, null);

    await failsWith('/deliveries/999999999/redeliver', 404, 'JOB404', { method: 'POST' });
  });

  it('refuses to redeliver a request still pending: 409 JOB409', async () => {
    await admin(sql`select groundwork.create_webhook('parcels_hook', 'public.parcels', array['INSERT'], ${`${receiver.origin}/parcels`})`);
    receiver.statuses.set('/parcels', 503);
    await service.from('parcels').insert({ weight: 3 });
    // One failed attempt, and the next one minutes away (GROUNDWORK_WEBHOOK_RETRY_BASE_MS).
    const waiting = await eventually('a failed first attempt', async () => {
      const d = (await ok<Delivery[]>('/deliveries?state=pending')).find((x) => x.webhook === 'parcels_hook');
      return d !== undefined && d.attempts === 1 && d.last_status === 503 ? d : undefined;
    });
    const refused = await failsWith(`/deliveries/${waiting.id}/redeliver`, 409, 'JOB409', { method: 'POST' });
    assert.match(refused.message, new RegExp(`request ${waiting.id} is still pending`));
    const still = await ok<DeliveryDetail>(`/deliveries/${waiting.id}`);
    assert.deepEqual([still.state, still.attempts, still.attempt_log.length], ['pending', 1, 1]);
  });

  it('marks a request to an address outside the allow-list dead at once, without retrying', async () => {
    const [{ id } = { id: '' }] = await admin<{ id: string }>(sql`select net.http_get('http://10.20.30.40/private')::text as id`);
    const dead = await eventually('the refused request', async () => {
      const d = await ok<DeliveryDetail>(`/deliveries/${id}`);
      return d.state === 'dead' ? d : undefined;
    });
    assert.equal(dead.attempts, 1);
    assert.match(dead.last_error ?? '', /outside the allow-list \(GROUNDWORK_WEBHOOK_ALLOW\)/);
    assert.deepEqual((await ok<Delivery[]>('/deliveries?state=dead')).filter((d) => d.id === id).length, 1);
  });

  it('lists queues with their metrics and retry limits', async () => {
    for (const to of ['a@example.com', 'b@example.com']) {
      const { error } = await service.schema('pgmq_public').rpc('send', { queue_name: 'emails', message: { to } });
      assert.equal(error, null);
    }
    await admin(sql`select pgmq.set_retry_limit('emails', 3)`);
    const queues = await ok<Array<Record<string, unknown>>>('/queues');
    assert.deepEqual(
      queues.map((q) => q['queue_name']),
      ['emails', 'emails_dlq'],
    );
    const emails = queues[0] ?? {};
    assert.deepEqual(
      [Number(emails['queue_length']), Number(emails['queue_visible_length']), Number(emails['total_messages']), emails['max_reads'], emails['dead_letter_queue']],
      [2, 2, 2, 3, 'emails_dlq'],
    );
    assert.equal(typeof emails['oldest_msg_age_sec'], 'number');
    assert.deepEqual([Number(queues[1]?.['queue_length']), queues[1]?.['max_reads']], [0, null]);
  });

  it('lists cron jobs and their runs, failed ones with the error, filtered by job and paged', async () => {
    const jobs = await ok<Array<{ jobid: string; jobname: string | null; schedule: string; command: string; username: string; active: boolean }>>('/cron/jobs');
    const ping = jobs.find((j) => j.jobname === 'ping-every-second');
    assert.ok(ping !== undefined, JSON.stringify(jobs));
    assert.deepEqual([ping.schedule, ping.active], ['1 seconds', true]);
    assert.match(ping.command, new RegExp(`net\\.http_post\\('${receiver.origin}/cron'`));
    assert.equal(typeof ping.username, 'string');

    const [{ jobid } = { jobid: '' }] = await admin<{ jobid: string }>(sql`select cron.schedule('divide-by-zero', '1 seconds', 'select 1/0')::text as jobid`);
    assert.deepEqual(
      (await ok<Array<{ jobid: string; jobname: string }>>('/cron/jobs')).map((j) => j.jobname),
      ['ping-every-second', 'divide-by-zero'],
    );
    const failed = await eventually('a failed run', async () => (await ok<Array<{ jobid: string; status: string; return_message: string; end_time: string | null }>>(`/cron/runs?jobid=${jobid}`)).find((r) => r.status === 'failed'));
    assert.equal(failed.jobid, jobid);
    assert.match(failed.return_message, /division by zero/);
    assert.ok(failed.end_time !== null);
    await admin(sql`select cron.unschedule(${jobid}::bigint)`);

    const pings = await eventually('two succeeded runs of the ping', async () => {
      const runs = (await ok<Array<{ jobid: string; runid: string; status: string }>>(`/cron/runs?jobid=${ping.jobid}`)).filter((r) => r.status === 'succeeded');
      return runs.length >= 2 ? runs : undefined;
    });
    assert.ok(pings.every((r) => r.jobid === ping.jobid));
    const runIds = pings.map((r) => Number(r.runid));
    assert.deepEqual(runIds, [...runIds].sort((a, b) => b - a), 'newest first');
    const one = await ok<Array<{ runid: string }>>(`/cron/runs?jobid=${ping.jobid}&limit=1`);
    assert.equal(one.length, 1);
    const older = await ok<Array<{ runid: string }>>(`/cron/runs?jobid=${ping.jobid}&before=${one[0]?.runid}`);
    assert.ok(older.length > 0 && older.every((r) => Number(r.runid) < Number(one[0]?.runid)));
    const mixed = await ok<Array<{ jobid: string }>>('/cron/runs?limit=1000');
    assert.deepEqual([...new Set(mixed.map((r) => r.jobid))].sort(), [ping.jobid, jobid].sort());
  });
});
