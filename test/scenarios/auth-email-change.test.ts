// Changing a user's email through supabase-js: the change waits for confirmation (from both
// addresses by default, or from the new one alone), by code or by link, PKCE included; the
// admin's email-change links; and the refusals.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { SupabaseClient } from '@supabase/supabase-js';
import { dbKind } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { supabase } from '../support/supabase.ts';
import { lastMail, outbox } from '../support/outbox.ts';

const blog = join(import.meta.dirname, '../../examples/blog');
const password = 'correct horse';
const HALF = 'Confirmation link accepted. Please proceed to confirm link sent to the other email';

describe(`Auth email change (${dbKind})`, () => {
  let s: TestServer;
  let single: TestServer; // a server that confirms from the new address alone
  const client = (server = s) => supabase(server.url, server.gw.keys.anon);
  const admin = () => supabase(s.url, s.gw.keys.serviceRole);
  const follow = async (link: string) => {
    const res = await fetch(link, { redirect: 'manual' });
    assert.equal(res.status, 303);
    return new URL(res.headers.get('location') ?? '');
  };
  const signedUp = async (email: string, server = s): Promise<SupabaseClient> => {
    const c = client(server);
    assert.equal((await c.auth.signUp({ email, password })).error, null);
    return c;
  };
  before(async () => {
    s = await startTestServer({ projectDir: blog, env: { GROUNDWORK_AUTH_AUTOCONFIRM: 'true', GROUNDWORK_AUTH_ANONYMOUS_SIGN_INS: 'true', GROUNDWORK_AUTH_SITE_URL: 'http://app.test' } });
    single = await startTestServer({ projectDir: blog, env: { GROUNDWORK_AUTH_AUTOCONFIRM: 'true', GROUNDWORK_AUTH_SECURE_EMAIL_CHANGE: 'false', GROUNDWORK_AUTH_SITE_URL: 'http://app.test' } });
  });
  after(async () => {
    await single.stop();
    await s.stop();
  });

  it('waits for both addresses: the first code is accepted without a session, the second applies the change', async () => {
    const c = await signedUp('old@example.com');
    const { data, error } = await c.auth.updateUser({ email: 'New@Example.com' });
    assert.equal(error, null);
    assert.equal(data.user?.email, 'old@example.com', 'unchanged until confirmed');
    assert.equal(data.user?.new_email, 'new@example.com');
    assert.match(data.user?.email_change_sent_at ?? '', /^\d{4}-/);
    const toNew = await lastMail(s, 'new@example.com');
    const toOld = await lastMail(s, 'old@example.com');
    assert.deepEqual([toNew.kind, toNew.subject, toOld.kind], ['email_change', 'Confirm Email Change', 'email_change']);
    assert.notEqual(toNew.code, toOld.code, 'each address gets its own code');
    const wrong = await c.auth.verifyOtp({ email: 'new@example.com', token: toOld.code, type: 'email_change' });
    assert.equal(wrong.error?.code, 'otp_expired');
    const first = await c.auth.verifyOtp({ email: 'new@example.com', token: toNew.code, type: 'email_change' });
    assert.equal(first.error, null);
    assert.equal(first.data.session, null);
    const res = await fetch(`${s.url}/auth/v1/verify`, { method: 'POST', headers: { apikey: s.gw.keys.anon, 'content-type': 'application/json' }, body: JSON.stringify({ email: 'old@example.com', token: toOld.code, type: 'email_change' }) });
    const second = (await res.json()) as { access_token: string; user: { email: string; new_email?: string; identities: Array<{ email: string }> } };
    assert.equal(res.status, 200);
    assert.ok(second.access_token);
    assert.equal(second.user.email, 'new@example.com');
    assert.equal(second.user.new_email, undefined);
    assert.equal(second.user.identities[0]?.email, 'new@example.com');
    assert.equal((await client().auth.signInWithPassword({ email: 'new@example.com', password })).error, null);
    assert.equal((await client().auth.signInWithPassword({ email: 'old@example.com', password })).error?.code, 'invalid_credentials');
  });

  it('follows links: the first says "accepted", the second signs the user in with the new address', async () => {
    const c = await signedUp('link-old@example.com');
    assert.equal((await c.auth.updateUser({ email: 'link-new@example.com' }, { emailRedirectTo: 'http://app.test/changed' })).error, null);
    const first = await follow((await lastMail(s, 'link-old@example.com')).link);
    assert.equal(first.pathname, '/changed');
    assert.equal(new URLSearchParams(first.hash.slice(1)).get('message'), HALF);
    const second = await follow((await lastMail(s, 'link-new@example.com')).link);
    const fragment = new URLSearchParams(second.hash.slice(1));
    assert.equal(fragment.get('type'), 'email_change');
    const { data } = await client().auth.getUser(fragment.get('access_token') ?? '');
    assert.equal(data.user?.email, 'link-new@example.com');
  });

  it('needs only the new address when secure email change is off, and works with PKCE', async () => {
    const c = await signedUp('pkce-old@example.com', single);
    // auth-js drops its code verifier when updateUser saves the session, so the PKCE pair is made here.
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const jwt = (await c.auth.getSession()).data.session?.access_token ?? '';
    const put = await fetch(`${single.url}/auth/v1/user`, {
      method: 'PUT',
      headers: { apikey: single.gw.keys.anon, authorization: `Bearer ${jwt}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'pkce-new@example.com', code_challenge: challenge, code_challenge_method: 's256' }),
    });
    assert.equal(put.status, 200);
    const mails = (await outbox(single)).filter((m) => m.kind === 'email_change');
    assert.deepEqual(mails.map((m) => m.to), ['pkce-new@example.com'], 'no email to the old address');
    const back = await follow((await lastMail(single, 'pkce-new@example.com')).link);
    const token = await fetch(`${single.url}/auth/v1/token?grant_type=pkce`, {
      method: 'POST',
      headers: { apikey: single.gw.keys.anon, 'content-type': 'application/json' },
      body: JSON.stringify({ auth_code: back.searchParams.get('code'), code_verifier: verifier }),
    });
    const session = (await token.json()) as { user: { email: string } };
    assert.equal(token.status, 200);
    assert.equal(session.user.email, 'pkce-new@example.com');
  });

  it('applies an anonymous user’s new email at once under autoconfirm', async () => {
    const c = client();
    assert.equal((await c.auth.signInAnonymously()).error, null);
    const { data, error } = await c.auth.updateUser({ email: 'was-anon@example.com' });
    assert.equal(error, null);
    assert.equal(data.user?.email, 'was-anon@example.com');
    assert.equal(data.user?.is_anonymous, false);
    assert.deepEqual(data.user?.identities?.map((i) => i.provider), ['email']);
  });

  it('refuses a taken address and a second request within a minute', async () => {
    const c = await signedUp('busy@example.com');
    assert.equal((await c.auth.updateUser({ email: 'new@example.com' })).error?.code, 'email_exists');
    assert.equal((await c.auth.updateUser({ email: 'busy-1@example.com' })).error, null);
    const again = await c.auth.updateUser({ email: 'busy-2@example.com' });
    assert.deepEqual([again.error?.status, again.error?.code], [429, 'over_email_send_rate_limit']);
  });

  it('makes email-change links for the admin without sending them', async () => {
    assert.equal((await admin().auth.admin.createUser({ email: 'adm-old@example.com', password, email_confirm: true })).error, null);
    const before = (await outbox(s)).length;
    const current = await admin().auth.admin.generateLink({ type: 'email_change_current', email: 'adm-old@example.com', newEmail: 'adm-new@example.com' });
    assert.equal(current.error, null);
    assert.equal(current.data.user?.new_email, 'adm-new@example.com');
    assert.match(current.data.properties?.action_link ?? '', /\?token=[0-9a-f]{56}&type=email_change&/);
    assert.equal(current.data.properties?.verification_type, 'email_change_current');
    assert.equal((await outbox(s)).length, before, 'nothing is sent');
    const next = await admin().auth.admin.generateLink({ type: 'email_change_new', email: 'adm-old@example.com', newEmail: 'adm-new@example.com' });
    // The second call issued fresh codes for both addresses: the current one is re-made, then both links confirm.
    const again = await admin().auth.admin.generateLink({ type: 'email_change_current', email: 'adm-old@example.com', newEmail: 'adm-new@example.com' });
    const verify = (hash: string) => fetch(`${s.url}/auth/v1/verify`, { method: 'POST', headers: { apikey: s.gw.keys.anon, 'content-type': 'application/json' }, body: JSON.stringify({ token_hash: hash, type: 'email_change' }) });
    assert.equal(((await (await verify(again.data.properties?.hashed_token ?? '')).json()) as { msg: string }).msg, HALF);
    assert.equal((await verify(next.data.properties?.hashed_token ?? '')).status, 403, 'superseded by the later call');
    const taken = await admin().auth.admin.generateLink({ type: 'email_change_new', email: 'adm-old@example.com', newEmail: 'new@example.com' });
    assert.equal(taken.error?.code, 'email_exists');
  });
});
