// The blog example's Edge Functions (examples/blog/supabase/functions), black-box through
// supabase-js: a Stripe webhook that checks Stripe's signature and keeps each event once, a
// Zod-validated endpoint that creates a post under the caller's row-level security, and a
// queue consumer that turns published posts into notifications and empties the queue.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FunctionsHttpError, type SupabaseClient } from '@supabase/supabase-js';
import { parseDotenv } from '../../src/config/dotenv.ts';
import { sql, type Sql } from '../../src/lib/sql.ts';
import { dbKind } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { supabase } from '../support/supabase.ts';
import { ALICE, BOB, mintToken } from '../support/tokens.ts';

const blog = join(import.meta.dirname, '../../examples/blog');
const SIGNING_SECRET = parseDotenv(readFileSync(join(blog, 'supabase/functions/.env'), 'utf8'))['STRIPE_WEBHOOK_SIGNING_SECRET'] ?? '';
/** A function's first invocation may download its npm packages into the Deno cache. */
const FIRST_USE = { timeout: 150_000 };
const ALICE_POST = 'aaaaaaaa-0000-4000-8000-000000000001';
const ALICE_DRAFT = 'aaaaaaaa-0000-4000-8000-000000000002';
const BOB_POST = 'bbbbbbbb-0000-4000-8000-000000000001';
const BOB_DRAFT = 'bbbbbbbb-0000-4000-8000-000000000002';

/** Stripe's `Stripe-Signature` header: HMAC-SHA256 of `<t>.<body>` with the signing secret. */
function stripeSignature(body: string, secret = SIGNING_SECRET, t = Math.floor(Date.now() / 1000)): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** Pretty-printed on purpose: the function must verify the bytes as sent, not re-serialised JSON. */
function stripeEvent(id: string): string {
  const object = { id: 'cs_test_1', object: 'checkout.session', amount_total: 500, currency: 'eur' };
  return JSON.stringify({ id, object: 'event', api_version: '2025-01-27', created: Math.floor(Date.now() / 1000), livemode: false, type: 'checkout.session.completed', data: { object } }, null, 2);
}

/** The status and JSON body of a non-2xx answer, as supabase-js reports it. */
async function failure(error: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  assert.ok(error instanceof FunctionsHttpError, `expected an HTTP error, got ${String(error)}`);
  const res = error.context as Response;
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe(`the blog's example functions (${dbKind})`, () => {
  let server: TestServer;
  let anon: SupabaseClient;
  let service: SupabaseClient;
  let alice: SupabaseClient;
  let bob: SupabaseClient;
  let writer: SupabaseClient;
  let writerId: string;

  const admin = async <R extends Record<string, unknown>>(q: Sql): Promise<R[]> => (await server.gw.db.admin.query<R>(q)).rows;
  /** Why functions failed to answer (boot errors name a package Deno could not download). */
  const failures = () => server.events.flatMap((e) => (e.type === 'function-failed' ? [`${e.name} ${e.code}: ${e.message}`] : [])).join('\n');
  const queued = async () => (await admin<{ post_id: string }>(sql`select message->>'post_id' as post_id from pgmq.q_post_published order by msg_id`)).map((r) => r.post_id);

  before(async () => {
    server = await startTestServer({ projectDir: blog, env: { GROUNDWORK_AUTH_AUTOCONFIRM: 'true' } });
    anon = supabase(server.url, server.gw.keys.anon);
    service = supabase(server.url, server.gw.keys.serviceRole);
    alice = supabase(server.url, server.gw.keys.anon, await mintToken({ sub: ALICE, role: 'authenticated', exp: Math.floor(Date.now() / 1000) + 3600 }));
    bob = supabase(server.url, server.gw.keys.anon, await mintToken({ sub: BOB, role: 'authenticated', exp: Math.floor(Date.now() / 1000) + 3600 }));
    // A real sign-up; a user writes posts once they have a profile.
    writer = supabase(server.url, server.gw.keys.anon);
    const { data, error } = await writer.auth.signUp({ email: 'writer@example.com', password: 'correct horse' });
    assert.equal(error, null);
    writerId = data.user?.id ?? '';
    const profile = await writer.from('profiles').insert({ id: writerId, username: 'writer' });
    assert.equal(profile.status, 201);
  });
  after(async () => server?.stop());

  describe('stripe-webhook', () => {
    it('accepts a correctly signed event without a JWT and keeps it once, however often Stripe retries', FIRST_USE, async () => {
      const body = stripeEvent('evt_signed');
      const { data, error } = await anon.functions.invoke('stripe-webhook', { body, headers: { 'Content-Type': 'application/json', 'Stripe-Signature': stripeSignature(body) } });
      assert.equal(error, null, failures());
      assert.deepEqual(data, { received: true });
      // Stripe sends no Authorization header: verify_jwt is off for this function.
      const retry = await fetch(`${server.url}/functions/v1/stripe-webhook`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignature(body) } });
      assert.deepEqual([retry.status, await retry.json()], [200, { received: true }]);
      const kept = await service.from('stripe_events').select('id, type, livemode, payload->data->object->>amount_total');
      assert.deepEqual(kept.data, [{ id: 'evt_signed', type: 'checkout.session.completed', livemode: false, amount_total: '500' }]);
      // Only the service role reads them.
      assert.deepEqual((await anon.from('stripe_events').select('id')).data, []);
    });

    it('answers 400 with a JSON error to a tampered, stale, foreign or missing signature, and keeps nothing', async () => {
      const body = stripeEvent('evt_tampered');
      const cases: Array<[string, string, Record<string, string>]> = [
        ['tampered body', body.replace('500', '1'), { 'Stripe-Signature': stripeSignature(body) }],
        ['stale timestamp', body, { 'Stripe-Signature': stripeSignature(body, SIGNING_SECRET, Math.floor(Date.now() / 1000) - 3600) }],
        ['another secret', body, { 'Stripe-Signature': stripeSignature(body, 'whsec_someone_else') }],
        ['no signature', body, {}],
      ];
      for (const [what, sent, headers] of cases) {
        const { error } = await anon.functions.invoke('stripe-webhook', { body: sent, headers: { 'Content-Type': 'application/json', ...headers } });
        const { status, body: answer } = await failure(error);
        assert.equal(status, 400, what);
        assert.match(String(answer['error']), /signature/i, what);
      }
      assert.deepEqual((await service.from('stripe_events').select('id').eq('id', 'evt_tampered')).data, []);
    });
  });

  describe('create-post', () => {
    it("creates a post for the signed-in caller, visible to them through REST and under the blog's policies", FIRST_USE, async () => {
      const { data, error } = await writer.functions.invoke('create-post', { body: { title: '  My first draft ', content: 'Words.', author_id: BOB } });
      assert.equal(error, null, failures());
      // Zod trimmed the title and dropped the unknown author_id: the author is the caller.
      assert.equal(data.title, 'My first draft');
      assert.equal(data.author_id, writerId);
      assert.equal(data.published, false);
      const mine = await writer.from('posts').select('title, content, author_id').eq('id', data.id);
      assert.deepEqual(mine.data, [{ title: 'My first draft', content: 'Words.', author_id: writerId }]);
      // A draft: others do not see it.
      assert.deepEqual((await bob.from('posts').select('id').eq('id', data.id)).data, []);
    });

    it("answers 400 with Zod's issues to bad input, and 405 to other methods", async () => {
      const bad = await failure((await writer.functions.invoke('create-post', { body: { title: '   ', published: 'yes' } })).error);
      assert.equal(bad.status, 400);
      const issues = bad.body['issues'] as Array<{ path: unknown[]; code: string }>;
      assert.deepEqual(
        issues.map((i) => [i.path.join('.'), i.code]),
        [
          ['title', 'too_small'],
          ['published', 'invalid_type'],
        ],
      );
      const notJson = await failure((await writer.functions.invoke('create-post', { body: 'a title', headers: { 'Content-Type': 'application/json' } })).error);
      assert.deepEqual([notJson.status, notJson.body['error']], [400, 'the body must be JSON']);
      const get = await failure((await writer.functions.invoke('create-post', { method: 'GET' })).error);
      assert.equal(get.status, 405);
      // A plain OPTIONS (not a browser's preflight, which the gateway answers) reaches the function.
      const options = await fetch(`${server.url}/functions/v1/create-post`, { method: 'OPTIONS' });
      assert.deepEqual([options.status, options.headers.get('access-control-allow-origin'), await options.text()], [200, '*', 'ok']);
    });

    it('refuses an anonymous caller, and creates nothing', async () => {
      const { status, body } = await failure((await anon.functions.invoke('create-post', { body: { title: 'By nobody' } })).error);
      assert.deepEqual([status, body['error']], [401, 'sign in to create a post']);
      assert.deepEqual((await service.from('posts').select('id').eq('title', 'By nobody')).data, []);
    });
  });

  describe('process-notifications', () => {
    it('turns every queued publication into notifications for the other users and empties the queue', FIRST_USE, async () => {
      // The seed's two published posts queued a message each; two more now.
      const published = await alice.from('posts').update({ published: true }).eq('id', ALICE_DRAFT).select('id');
      assert.equal(published.data?.length, 1);
      const created = await writer.functions.invoke('create-post', { body: { title: 'Out now', published: true } });
      assert.equal(created.error, null);
      const writerPost = created.data.id as string;
      // Saving a published post again queues nothing more.
      await alice.from('posts').update({ published: true, title: 'Hello again' }).eq('id', ALICE_POST);
      assert.deepEqual(await queued(), [ALICE_POST, BOB_POST, ALICE_DRAFT, writerPost]);

      const refused = await failure((await alice.functions.invoke('process-notifications')).error);
      assert.deepEqual([refused.status, refused.body['error']], [403, 'only the service role may process notifications']);
      assert.equal((await queued()).length, 4);

      const profiles = (await service.from('profiles').select('id')).data?.length ?? 0;
      const { data, error } = await service.functions.invoke('process-notifications', { body: { batch: 10 } });
      assert.equal(error, null, failures());
      assert.deepEqual(
        (data.processed as Array<{ post_id: string; notified: number }>).map((p) => [p.post_id, p.notified]),
        [ALICE_POST, BOB_POST, ALICE_DRAFT, writerPost].map((id) => [id, profiles - 1]),
      );
      assert.deepEqual([data.archived, data.failed], [[], []]);
      assert.deepEqual(await queued(), []);

      // Each user sees their own notifications through REST, never one for their own post.
      const seen = async (c: SupabaseClient) => ((await c.from('notifications').select('post_id').order('post_id')).data ?? []).map((n) => n.post_id as string);
      assert.deepEqual(await seen(bob), [ALICE_POST, ALICE_DRAFT, writerPost].sort());
      assert.deepEqual(await seen(alice), [BOB_POST, writerPost].sort());
      assert.deepEqual(await seen(anon), []);
      // Nothing left to do.
      const again = await service.functions.invoke('process-notifications');
      assert.deepEqual(again.data, { processed: [], archived: [], failed: [] });
    });

    it('archives the message of a post deleted before it was processed', async () => {
      await bob.from('posts').update({ published: true }).eq('id', BOB_DRAFT);
      const deleted = await bob.from('posts').delete().eq('id', BOB_DRAFT).select('id');
      assert.equal(deleted.data?.length, 1);
      assert.deepEqual(await queued(), [BOB_DRAFT]);
      const { data } = await service.functions.invoke('process-notifications');
      assert.equal(data.processed.length, 0);
      assert.equal(data.archived.length, 1);
      assert.deepEqual(await queued(), []);
      const archive = await admin<{ post_id: string }>(sql`select message->>'post_id' as post_id from pgmq.a_post_published`);
      assert.deepEqual(archive, [{ post_id: BOB_DRAFT }]);
    });
  });
});
