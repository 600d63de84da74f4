// Auth flows that go through an email, driven through supabase-js: sign-up confirmation by
// code and by link, password recovery, magic links and email codes, resending, and the
// refusals. Emails are read back from the outbox through the service-role admin endpoint.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { dbKind } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { supabase } from '../support/supabase.ts';
import { lastMail as newest, outbox } from '../support/outbox.ts';

const blog = join(import.meta.dirname, '../../examples/blog');
const password = 'correct horse';

describe(`Auth email flows (${dbKind})`, () => {
  let s: TestServer;
  const client = () => supabase(s.url, s.gw.keys.anon);
  const lastMail = (to: string) => newest(s, to);
  const mailCount = async () => (await outbox(s)).length;
  const errorOf = (r: { error: unknown }) => {
    const e = r.error as { status?: number; code?: string; message?: string } | null;
    return e === null ? null : [e.status, e.code];
  };
  before(async () => {
    s = await startTestServer({
      projectDir: blog,
      env: { GROUNDWORK_AUTH_AUTOCONFIRM: 'false', GROUNDWORK_AUTH_SITE_URL: 'http://app.test', GROUNDWORK_AUTH_REDIRECT_URLS: 'http://other.test/**' },
    });
  });
  after(() => s.stop());

  it('signs up without a session, and emails a confirmation', async () => {
    const { data, error } = await client().auth.signUp({ email: 'Grace@Example.com', password });
    assert.equal(error, null);
    assert.equal(data.session, null);
    assert.equal(data.user?.email, 'grace@example.com');
    assert.equal(data.user?.email_confirmed_at, undefined);
    assert.match(data.user?.confirmation_sent_at ?? '', /^\d{4}-/);
    const mail = await lastMail('grace@example.com');
    assert.deepEqual([mail.subject, mail.kind], ['Confirm Your Signup', 'confirmation']);
    assert.match(mail.link, /\/auth\/v1\/verify\?token=[0-9a-f]{56}&type=signup&redirect_to=http%3A%2F%2Fapp.test$/);
    // No SMTP configured: the email stays in the outbox, unsent (dev mode).
    assert.deepEqual([mail.status, mail.attempts, mail.sent_at, mail.last_error], ['pending', 0, null, null]);
    const logged = s.events.find((e) => e.type === 'mail' && e.to === 'grace@example.com');
    assert.equal(logged?.type === 'mail' ? logged.link : undefined, mail.link, 'the log shows the link to follow');
  });

  it('refuses password sign-in until the email is confirmed', async () => {
    const r = await client().auth.signInWithPassword({ email: 'grace@example.com', password });
    assert.deepEqual(errorOf(r), [400, 'email_not_confirmed']);
  });

  it('refuses a wrong code with 403 otp_expired', async () => {
    const mail = await lastMail('grace@example.com');
    const wrong = mail.code === '000000' ? '000001' : '000000';
    const r = await client().auth.verifyOtp({ email: 'grace@example.com', token: wrong, type: 'signup' });
    assert.deepEqual(errorOf(r), [403, 'otp_expired']);
  });

  it('confirms with the emailed code and signs the user in', async () => {
    const { code } = await lastMail('grace@example.com');
    const { data, error } = await client().auth.verifyOtp({ email: 'grace@example.com', token: code, type: 'signup' });
    assert.equal(error, null);
    assert.ok(data.session?.access_token);
    assert.match(data.user?.email_confirmed_at ?? '', /^\d{4}-/);
    assert.equal(data.user?.user_metadata['email_verified'], true);
    const again = await client().auth.verifyOtp({ email: 'grace@example.com', token: code, type: 'signup' });
    assert.deepEqual(errorOf(again), [403, 'otp_expired'], 'a code works once');
    const signedIn = await client().auth.signInWithPassword({ email: 'grace@example.com', password });
    assert.equal(signedIn.error, null);
  });

  it('confirms through the emailed link: 303 to the app with the session in the fragment', async () => {
    await client().auth.signUp({ email: 'linus@example.com', password });
    const { link } = await lastMail('linus@example.com');
    const res = await fetch(link, { redirect: 'manual' });
    assert.equal(res.status, 303);
    const to = new URL(res.headers.get('location') ?? '');
    assert.equal(to.origin, 'http://app.test');
    const fragment = new URLSearchParams(to.hash.slice(1));
    assert.equal(fragment.get('type'), 'signup');
    assert.equal(fragment.get('token_type'), 'bearer');
    const user = await client().auth.getUser(fragment.get('access_token') ?? '');
    assert.equal(user.data.user?.email, 'linus@example.com');

    const reused = await fetch(link, { redirect: 'manual' });
    const failed = new URLSearchParams(new URL(reused.headers.get('location') ?? '').hash.slice(1));
    assert.deepEqual([failed.get('error'), failed.get('error_code')], ['access_denied', 'otp_expired']);
  });

  it('resends a confirmation, but not twice within a minute', async () => {
    await client().auth.signUp({ email: 'edsger@example.com', password });
    const before = await mailCount();
    const r = await client().auth.resend({ type: 'signup', email: 'edsger@example.com' });
    assert.deepEqual(errorOf(r), [429, 'over_email_send_rate_limit']);
    assert.match((r.error as { message: string }).message, /after \d+ seconds/);
    const again = await client().auth.signUp({ email: 'edsger@example.com', password });
    assert.deepEqual(errorOf(again), [429, 'over_email_send_rate_limit'], 'signing up again is a resend too');
    assert.equal(await mailCount(), before, 'nothing more was sent');
  });

  it('recovers a password: code, session, new password', async () => {
    const asked = await client().auth.resetPasswordForEmail('grace@example.com', { redirectTo: 'http://other.test/reset' });
    assert.equal(asked.error, null);
    const mail = await lastMail('grace@example.com');
    assert.deepEqual([mail.subject, mail.kind], ['Reset Your Password', 'recovery']);
    assert.ok(mail.link.endsWith('redirect_to=http%3A%2F%2Fother.test%2Freset'), 'an allow-listed redirect is kept');

    const c = client();
    const verified = await c.auth.verifyOtp({ email: 'grace@example.com', token: mail.code, type: 'recovery' });
    assert.equal(verified.error, null);
    const updated = await c.auth.updateUser({ password: 'a new password' });
    assert.equal(updated.error, null);
    assert.deepEqual(errorOf(await client().auth.signInWithPassword({ email: 'grace@example.com', password })), [400, 'invalid_credentials']);
    assert.equal(errorOf(await client().auth.signInWithPassword({ email: 'grace@example.com', password: 'a new password' })), null);
  });

  it('answers a sign-up with a confirmed email like a new one, showing nothing of the account', async () => {
    const fresh = await client().auth.signUp({ email: 'never-seen@example.com', password });
    const repeated = await client().auth.signUp({ email: 'grace@example.com', password, options: { data: { x: 1 } } });
    assert.equal(repeated.error, null);
    const keys = (u: object | null) => Object.keys(u ?? {}).sort();
    assert.deepEqual(keys(repeated.data.user), keys(fresh.data.user), 'the same fields as a new sign-up');
    assert.equal(repeated.data.user?.email_confirmed_at, undefined);
    assert.equal(repeated.data.user?.last_sign_in_at, undefined);
    assert.deepEqual(repeated.data.user?.user_metadata, { x: 1 });
    assert.deepEqual(repeated.data.user?.identities, [], "Supabase's hint that the address is taken");
  });

  it('answers recovery for an unknown email the same way, sending nothing', async () => {
    const before = await mailCount();
    const r = await client().auth.resetPasswordForEmail('nobody@example.com', { redirectTo: 'http://evil.test/' });
    assert.equal(r.error, null);
    assert.equal(await mailCount(), before);
  });

  it('sends a magic link to a confirmed user, and its token hash signs in', async () => {
    const r = await client().auth.signInWithOtp({ email: 'linus@example.com', options: { emailRedirectTo: 'http://evil.test/' } });
    assert.equal(r.error, null);
    const mail = await lastMail('linus@example.com');
    assert.deepEqual([mail.subject, mail.kind], ['Your Magic Link', 'magic_link']);
    assert.ok(mail.link.endsWith('redirect_to=http%3A%2F%2Fapp.test'), 'a foreign redirect falls back to the site URL');
    const { data, error } = await client().auth.verifyOtp({ token_hash: mail.tokenHash, type: 'magiclink' });
    assert.equal(error, null);
    assert.equal(data.user?.email, 'linus@example.com');
    const claims = JSON.parse(Buffer.from((data.session?.access_token ?? '').split('.')[1] ?? '', 'base64url').toString()) as { amr: Array<{ method: string }> };
    assert.equal(claims.amr[0]?.method, 'otp');
  });

  it('signs a new user up by email code, unless told not to create users', async () => {
    const refused = await client().auth.signInWithOtp({ email: 'new@example.com', options: { shouldCreateUser: false } });
    assert.deepEqual(errorOf(refused), [422, 'otp_disabled']);
    assert.equal(errorOf(await client().auth.signInWithOtp({ email: 'new@example.com' })), null);
    const { code } = await lastMail('new@example.com');
    const { data, error } = await client().auth.verifyOtp({ email: 'new@example.com', token: code, type: 'email' });
    assert.equal(error, null);
    assert.match(data.user?.email_confirmed_at ?? '', /^\d{4}-/);
  });

  it('rejects malformed verify requests with 400 validation_failed', async () => {
    const res = await fetch(`${s.url}/auth/v1/verify`, { method: 'POST', headers: { apikey: s.gw.keys.anon, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'signup' }) });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('x-sb-error-code'), 'validation_failed');
  });

  it('keeps the outbox behind the service role', async () => {
    const res = await fetch(`${s.url}/auth/v1/admin/outbox`, { headers: { apikey: s.gw.keys.anon, authorization: `Bearer ${s.gw.keys.anon}` } });
    assert.equal(res.status, 403);
  });
});
