// Webhooks, queues and cron from a migration written for Supabase (test/fixtures/jobs),
// applied unchanged at start and then driven through the public surface: supabase-js
// inserts that reach a database webhook signed the Standard Webhooks way, pgmq_public's
// RPCs under the migration's grants and RLS policies, a cron job that calls out every
// second, and the errors bad input gets, through REST and in SQL.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { SupabaseClient } from '@supabase/supabase-js';
import { Webhook } from 'standardwebhooks';
import { DbError } from '../../src/db/errors.ts';
import { deriveWebhookSecret } from '../../src/keys/webhook-secret.ts';
import { sql, type Sql } from '../../src/lib/sql.ts';
import { dbKind, TEST_JWT_SECRET } from '../support/db.ts';
import { eventually, projectCalling, startReceiver } from '../support/jobs.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { supabase } from '../support/supabase.ts';
import { ALICE, BOB, mintToken } from '../support/tokens.ts';


type Message = { msg_id: number; read_ct: number; enqueued_at: string; vt: string; message: Record<string, unknown>; headers: unknown };

describe(`jobs from a Supabase migration (${dbKind})`, () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let projectDir: string;
  let server: TestServer;
  let service: SupabaseClient;
  let anon: SupabaseClient;
  let alice: SupabaseClient;
  let bob: SupabaseClient;

  const admin = async <R extends Record<string, unknown>>(q: Sql): Promise<R[]> => (await server.gw.db.admin.query<R>(q)).rows;
  const adminFails = async (q: Sql): Promise<DbError> => {
    const e = await server.gw.db.admin.query(q).then(
      () => undefined,
      (x: unknown) => x,
    );
    assert.ok(e instanceof DbError, `expected a database error, got ${String(e)}`);
    return e;
  };
  const jobsApi = async <T>(path: string): Promise<T> => {
    const key = server.gw.keys.serviceRole;
    const res = await fetch(`${server.url}/jobs/v1${path}`, { headers: { apikey: key, authorization: `Bearer ${key}` } });
    assert.equal(res.status, 200, `${path}: ${await res.clone().text()}`);
    return (await res.json()) as T;
  };
  const queue = (client: SupabaseClient) => client.schema('pgmq_public');
  const hooks = (path: string) => receiver.requests.filter((r) => r.path === path);

  before(async () => {
    receiver = await startReceiver();
    projectDir = projectCalling(receiver.origin);
    server = await startTestServer({ projectDir, env: { GROUNDWORK_WEBHOOK_ALLOW: '127.0.0.1' } });
    service = supabase(server.url, server.gw.keys.serviceRole);
    anon = supabase(server.url, server.gw.keys.anon);
    alice = supabase(server.url, server.gw.keys.anon, await mintToken({ sub: ALICE, role: 'authenticated' }));
    bob = supabase(server.url, server.gw.keys.anon, await mintToken({ sub: BOB, role: 'authenticated' }));
  });
  after(async () => {
    await server?.stop();
    await receiver?.close();
    if (projectDir !== undefined) rmSync(projectDir, { recursive: true, force: true });
  });

  it('applies the migration at start, skipping create extension for pg_net, pgmq and pg_cron', async () => {
    const [applied] = await admin<{ version: string; name: string }>(sql`select version, name from supabase_migrations.schema_migrations`);
    assert.deepEqual(applied, { version: '20260301000000', name: 'jobs' });
    const made = await admin<{ trigger: string; queue: string; job: string }>(sql`
      select (select tgname::text from pg_trigger where tgrelid = 'public.orders'::regclass and not tgisinternal) as trigger,
        (select string_agg(queue_name, ',') from pgmq.meta) as queue,
        (select string_agg(jobname || ' ' || schedule, ',') from cron.job) as job`);
    assert.deepEqual(made, [{ trigger: 'orders_webhook', queue: 'emails', job: 'ping-every-second 1 seconds' }]);
  });

  describe('database webhooks', () => {
    it("delivers an insert made with supabase-js with Supabase's payload, signed with the project's secret", async () => {
      const { data, error } = await service.from('orders').insert({ item: 'coffee' }).select().single();
      assert.equal(error, null);
      const row = data as { id: number; item: string; created_at: string };
      const hit = await eventually('the webhook for the coffee order', () =>
        hooks('/hook').find((r) => (JSON.parse(r.body) as { record?: { id?: number } }).record?.id === row.id),
      );
      assert.equal(hit.method, 'POST');
      assert.equal(hit.headers['content-type'], 'application/json');
      assert.deepEqual(JSON.parse(hit.body), { type: 'INSERT', table: 'orders', schema: 'public', record: row, old_record: null });
      const signed = { 'webhook-id': String(hit.headers['webhook-id']), 'webhook-timestamp': String(hit.headers['webhook-timestamp']), 'webhook-signature': String(hit.headers['webhook-signature']) };
      assert.match(signed['webhook-id'], /^msg_[0-9a-f]{32}$/);
      assert.ok(Math.abs(Number(signed['webhook-timestamp']) - Date.now() / 1000) < 60, 'webhook-timestamp is the time of sending');
      assert.deepEqual(new Webhook(deriveWebhookSecret(TEST_JWT_SECRET)).verify(hit.body, signed), JSON.parse(hit.body));
      // The signature covers the body and the id: another secret, body or id does not verify.
      const other = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
      assert.throws(() => new Webhook(other).verify(hit.body, signed));
      assert.throws(() => new Webhook(deriveWebhookSecret(TEST_JWT_SECRET)).verify(hit.body.replace('coffee', 'cocoa'), signed));
      assert.throws(() => new Webhook(deriveWebhookSecret(TEST_JWT_SECRET)).verify(hit.body, { ...signed, 'webhook-id': 'msg_other' }));
    });

    it('sends one request per row, and nothing for a transaction that rolled back', async () => {
      // The trigger queues its request inside the transaction: a rollback takes it back.
      const rolledBack = await server.gw.db.admin
        .transaction(async (tx) => {
          await tx.query(sql`insert into public.orders (item) values ('rolled back')`);
          throw new Error('changed my mind');
        })
        .catch((e: unknown) => e);
      assert.ok(rolledBack instanceof Error && rolledBack.message === 'changed my mind');
      const { error } = await service.from('orders').insert([{ item: 'tea' }, { item: 'juice' }]);
      assert.equal(error, null);
      const items = () => hooks('/hook').map((r) => (JSON.parse(r.body) as { record: { item: string } }).record.item);
      await eventually('the tea and juice webhooks', () => (items().includes('tea') && items().includes('juice') ? true : undefined));
      assert.equal(items().filter((i) => i === 'tea').length, 1);
      assert.ok(!items().includes('rolled back'), 'the rolled-back row was sent');
      const queued = await admin<{ n: number }>(sql`select count(*)::int as n from net.http_request_queue where convert_from(body, 'UTF8') like '%rolled back%'`);
      assert.deepEqual(queued, [{ n: 0 }]);
    });
  });

  describe('queues through pgmq_public', () => {
    beforeEach(() => admin(sql`select pgmq.purge_queue('emails')`));

    it('lets the service role send, read, pop, archive and delete', async () => {
      const sent = await queue(service).rpc('send', { queue_name: 'emails', message: { to: 'a@example.com' } });
      assert.equal(sent.error, null);
      const [first] = sent.data as number[];
      assert.equal(typeof first, 'number');
      const second = ((await queue(service).rpc('send', { queue_name: 'emails', message: { to: 'b@example.com' } })).data as number[])[0];
      const later = await queue(service).rpc('send', { queue_name: 'emails', message: { to: 'later@example.com' }, sleep_seconds: 60 });
      assert.equal(later.error, null);
      const batch = await queue(service).rpc('send_batch', { queue_name: 'emails', messages: [{ to: 'c@example.com' }, { to: 'd@example.com' }] });
      assert.equal(batch.error, null);
      assert.equal((batch.data as number[]).length, 2);

      // read: the visible messages oldest first, hidden for sleep_seconds and counted.
      const read = await queue(service).rpc('read', { queue_name: 'emails', sleep_seconds: 30, n: 2 });
      assert.equal(read.error, null);
      const got = read.data as Message[];
      assert.deepEqual(got.map((m) => [m.msg_id, m.read_ct, m.message]), [
        [first, 1, { to: 'a@example.com' }],
        [second, 1, { to: 'b@example.com' }],
      ]);
      assert.ok(Date.parse(got[0]?.vt ?? '') > Date.now() + 20_000, 'the read message is hidden for 30 s');
      const rest = (await queue(service).rpc('read', { queue_name: 'emails', sleep_seconds: 30, n: 10 })).data as Message[];
      assert.deepEqual(rest.map((m) => m.message), [{ to: 'c@example.com' }, { to: 'd@example.com' }], 'neither the read nor the delayed messages come again');

      // pop: removes what it returns; nothing visible is left.
      await queue(service).rpc('send', { queue_name: 'emails', message: { to: 'e@example.com' } });
      const popped = await queue(service).rpc('pop', { queue_name: 'emails' });
      assert.equal(popped.error, null);
      assert.deepEqual((popped.data as Message[]).map((m) => m.message), [{ to: 'e@example.com' }]);
      assert.deepEqual((await queue(service).rpc('pop', { queue_name: 'emails' })).data, []);

      // archive moves a message to a_emails; delete removes one; both say whether there was one.
      assert.deepEqual(await queue(service).rpc('archive', { queue_name: 'emails', message_id: first }).then((r) => [r.error, r.data]), [null, true]);
      assert.equal((await queue(service).rpc('archive', { queue_name: 'emails', message_id: first })).data, false);
      assert.deepEqual(await queue(service).rpc('delete', { queue_name: 'emails', message_id: second }).then((r) => [r.error, r.data]), [null, true]);
      assert.equal((await queue(service).rpc('delete', { queue_name: 'emails', message_id: second })).data, false);
      const archived = await admin<{ message: unknown }>(sql`select message from pgmq.a_emails where msg_id = ${first}`);
      assert.deepEqual(archived, [{ message: { to: 'a@example.com' } }]);
      const left = await admin<{ n: number }>(sql`select count(*)::int as n from pgmq.q_emails`);
      assert.deepEqual(left, [{ n: 3 }], 'c, d (read) and the delayed one');
    });

    it('answers 404 with the SQLSTATE for an unknown queue and 400 for a malformed name', async () => {
      for (const call of [
        queue(service).rpc('send', { queue_name: 'no_such_queue', message: {} }),
        queue(service).rpc('read', { queue_name: 'no_such_queue', sleep_seconds: 1, n: 1 }),
        queue(service).rpc('pop', { queue_name: 'no_such_queue' }),
      ]) {
        const { status, error } = await call;
        assert.equal(status, 404);
        assert.equal(error?.code, '42P01');
        assert.equal(error?.message, 'queue "no_such_queue" does not exist');
      }
      const bad = await queue(service).rpc('send', { queue_name: 'bad name!', message: {} });
      assert.equal(bad.status, 400);
      assert.equal(bad.error?.code, '22023');
      assert.equal(bad.error?.message, 'invalid queue name: bad name!');
    });

    it('refuses the anon role, which the migration granted nothing: 401 with 42501', async () => {
      for (const call of [
        queue(anon).rpc('send', { queue_name: 'emails', message: { to: 'x@example.com' } }),
        queue(anon).rpc('read', { queue_name: 'emails', sleep_seconds: 1, n: 1 }),
        queue(anon).rpc('pop', { queue_name: 'emails' }),
      ]) {
        const { status, error } = await call;
        assert.equal(status, 401);
        assert.equal(error?.code, '42501');
        assert.match(error?.message ?? '', /permission denied for table q_emails/);
      }
      assert.deepEqual(await admin(sql`select count(*)::int as n from pgmq.q_emails`), [{ n: 0 }]);
    });

    it("lets signed-in users queue and read only their own messages, under the migration's grants and policies", async () => {
      const mine = await queue(alice).rpc('send', { queue_name: 'emails', message: { user_id: ALICE, subject: 'hello' } });
      assert.equal(mine.error, null);
      const aliceMsg = (mine.data as number[])[0];
      const forged = await queue(alice).rpc('send', { queue_name: 'emails', message: { user_id: BOB, subject: 'forged' } });
      assert.equal(forged.status, 403);
      assert.equal(forged.error?.code, '42501');
      assert.match(forged.error?.message ?? '', /row-level security/);
      const bobs = await queue(bob).rpc('send', { queue_name: 'emails', message: { user_id: BOB, subject: 'hi' } });
      assert.equal(bobs.error, null);
      const bobMsg = (bobs.data as number[])[0];

      const aliceRead = (await queue(alice).rpc('read', { queue_name: 'emails', sleep_seconds: 30, n: 10 })).data as Message[];
      assert.deepEqual(aliceRead.map((m) => [m.msg_id, m.message]), [[aliceMsg, { user_id: ALICE, subject: 'hello' }]]);
      // Alice cannot settle Bob's message: it is not there for her.
      assert.equal((await queue(alice).rpc('delete', { queue_name: 'emails', message_id: bobMsg })).data, false);
      assert.equal((await queue(alice).rpc('archive', { queue_name: 'emails', message_id: bobMsg })).data, false);
      const bobPop = (await queue(bob).rpc('pop', { queue_name: 'emails' })).data as Message[];
      assert.deepEqual(bobPop.map((m) => m.msg_id), [bobMsg]);
      const archived = await queue(alice).rpc('archive', { queue_name: 'emails', message_id: aliceMsg });
      assert.deepEqual([archived.error, archived.data], [null, true]);
      assert.deepEqual(await admin(sql`select count(*)::int as n from pgmq.q_emails`), [{ n: 0 }]);
      assert.deepEqual(await admin(sql`select message->>'subject' as subject from pgmq.a_emails where msg_id = ${aliceMsg}`), [{ subject: 'hello' }]);
    });
  });

  describe('cron', () => {
    it("runs the migration's job every second: it calls out, and its runs are recorded", async () => {
      const pings = await eventually('two POSTs to /cron', () => (hooks('/cron').length >= 2 ? hooks('/cron') : undefined), 20_000);
      for (const p of pings) {
        assert.equal(p.method, 'POST');
        assert.equal(p.headers['content-type'], 'application/json');
        assert.deepEqual(JSON.parse(p.body), { ping: true });
        assert.equal(p.headers['webhook-signature'], undefined, 'net.http_post is not a webhook: not signed');
      }
      const jobs = await jobsApi<Array<{ jobid: string; jobname: string; schedule: string; active: boolean }>>('/cron/jobs');
      const job = jobs.find((j) => j.jobname === 'ping-every-second');
      assert.ok(job !== undefined, JSON.stringify(jobs));
      assert.equal(job.schedule, '1 seconds');
      assert.equal(job.active, true);
      const runs = await eventually('two succeeded runs', async () => {
        const all = await jobsApi<Array<{ jobid: string; runid: string; status: string; return_message: string; command: string }>>(`/cron/runs?jobid=${job.jobid}`);
        const ok = all.filter((r) => r.status === 'succeeded');
        return ok.length >= 2 ? ok : undefined;
      });
      for (const r of runs) {
        assert.equal(r.jobid, job.jobid);
        assert.equal(r.return_message, 'ok');
        assert.match(r.command, /net\.http_post/);
      }
      assert.equal(new Set(runs.map((r) => r.runid)).size, runs.length);
    });
  });

  describe('bad input', () => {
    it('a bad schedule through REST is a 400 naming the schedule, with a hint saying what is wrong', async () => {
      const cases: Array<[string, RegExp]> = [
        ['61 * * * *', /^minute: 61 is out of range 0-59$/],
        ['every minute', /^expected five fields/],
        ['@reboot', /^@reboot is not supported/],
        ['90 seconds', /^an interval must be 1 to 59 seconds$/],
        ['0 0 31 2 *', /^never fires/],
      ];
      for (const [schedule, hint] of cases) {
        const { status, error } = await service.rpc('schedule_job', { job_name: 'from-rest', schedule, command: 'select 1' });
        assert.equal(status, 400, schedule);
        assert.equal(error?.code, '22023');
        assert.equal(error?.message, `invalid schedule: ${schedule}`);
        assert.match(error?.hint ?? '', hint);
      }
      const empty = await service.rpc('schedule_job', { job_name: 'from-rest', schedule: '@daily', command: '  ' });
      assert.deepEqual([empty.status, empty.error?.code, empty.error?.message], [400, '22023', 'command must not be empty']);
      // A good one is scheduled as the role that called: service_role.
      const good = await service.rpc('schedule_job', { job_name: 'from-rest', schedule: '@yearly', command: 'select 1' });
      assert.equal(good.error, null);
      const jobs = await jobsApi<Array<{ jobid: string; jobname: string; username: string }>>('/cron/jobs');
      assert.deepEqual(
        jobs.filter((j) => j.jobname === 'from-rest').map((j) => [j.jobid, j.username]),
        [[String(good.data), 'service_role']],
      );
      await admin(sql`select cron.unschedule(${Number(good.data)}::bigint)`);
      // Not granted to anon by the migration.
      const refused = await anon.rpc('schedule_job', { job_name: 'x', schedule: '@daily', command: 'select 1' });
      assert.deepEqual([refused.status, refused.error?.code], [401, '42501']);
    });

    it('SQL callers get the SQLSTATE and message: unknown queue, bad schedule, non-http URL, bad timeout', async () => {
      const unknown = await adminFails(sql`select * from pgmq.send('no_such_queue', '{}'::jsonb)`);
      assert.deepEqual([unknown.sqlstate, unknown.message], ['42P01', 'queue "no_such_queue" does not exist']);
      const schedule = await adminFails(sql`select cron.schedule('* * *', 'select 1')`);
      assert.deepEqual([schedule.sqlstate, schedule.message], ['22023', 'invalid schedule: * * *']);
      assert.match(schedule.hint ?? '', /found 3 fields/);
      const url = await adminFails(sql`select net.http_post('ftp://example.com/upload', '{}'::jsonb)`);
      assert.deepEqual([url.sqlstate, url.message, url.hint], ['22023', 'invalid url: ftp://example.com/upload', 'An absolute http:// or https:// URL.']);
      const relative = await adminFails(sql`select net.http_get('/relative')`);
      assert.deepEqual([relative.sqlstate, relative.message], ['22023', 'invalid url: /relative']);
      const timeout = await adminFails(sql`select net.http_get(${`${receiver.origin}/x`}, timeout_milliseconds => 0)`);
      assert.deepEqual([timeout.sqlstate, timeout.message], ['22023', 'invalid timeout_milliseconds: 0']);
      const trigger = await adminFails(sql`select groundwork.create_webhook('bad', 'public.orders', array['TRUNCATE'], ${`${receiver.origin}/x`})`);
      assert.deepEqual([trigger.sqlstate, trigger.message], ['22023', 'invalid webhook events: {TRUNCATE}']);
      const nothingQueued = await admin(sql`select count(*)::int as n from net.http_request_queue where url like 'ftp:%' or url = '/relative'`);
      assert.deepEqual(nothingQueued, [{ n: 0 }]);
    });
  });
});
