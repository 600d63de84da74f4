// PKCE email flows through supabase-js with `flowType: 'pkce'`: the email link leads back to
// the app with `?code=`, and the client that started the flow exchanges it for a session.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sql } from '../../src/lib/sql.ts';
import { dbKind } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { lastMail } from '../support/outbox.ts';
import { supabase } from '../support/supabase.ts';

const blog = join(import.meta.dirname, '../../examples/blog');
const password = 'correct horse';

describe(`Auth PKCE flows (${dbKind})`, () => {
  let s: TestServer;
  const pkceClient = () => supabase(s.url, s.gw.keys.anon, undefined, {}, 'pkce');
  /** Follows an email link as a browser would, returning where it leads. */
  const follow = async (link: string) => {
    const res = await fetch(link, { redirect: 'manual' });
    assert.equal(res.status, 303);
    return new URL(res.headers.get('location') ?? '');
  };
  const token = (body: unknown) =>
    fetch(`${s.url}/auth/v1/token?grant_type=pkce`, { method: 'POST', headers: { apikey: s.gw.keys.anon, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  before(async () => {
    s = await startTestServer({ projectDir: blog, env: { GROUNDWORK_AUTH_AUTOCONFIRM: 'false', GROUNDWORK_AUTH_SITE_URL: 'http://app.test' } });
  });
  after(() => s.stop());

  it('confirms a sign-up: the link returns a code, the same client exchanges it', async () => {
    const c = pkceClient();
    assert.equal((await c.auth.signUp({ email: 'pk@example.com', password })).error, null);
    const mail = await lastMail(s, 'pk@example.com');
    assert.match(mail.tokenHash, /^pkce_[0-9a-f]{56}$/);
    const back = await follow(mail.link);
    const code = back.searchParams.get('code') ?? '';
    assert.equal(back.hash, '', 'no session in the fragment');
    const { data, error } = await c.auth.exchangeCodeForSession(code);
    assert.equal(error, null);
    assert.equal(data.user?.email, 'pk@example.com');
    assert.match(data.user?.email_confirmed_at ?? '', /^\d{4}-/);
    const claims = JSON.parse(Buffer.from((data.session?.access_token ?? '').split('.')[1] ?? '', 'base64url').toString()) as { amr: Array<{ method: string }> };
    assert.equal(claims.amr[0]?.method, 'email/signup');
  });

  it('recovers a password by PKCE link', async () => {
    const c = pkceClient();
    assert.equal((await c.auth.resetPasswordForEmail('pk@example.com')).error, null);
    const back = await follow((await lastMail(s, 'pk@example.com')).link);
    const { data, error } = await c.auth.exchangeCodeForSession(back.searchParams.get('code') ?? '');
    assert.equal(error, null);
    assert.ok(data.session?.access_token);
    assert.equal((await c.auth.updateUser({ password: 'a new password' })).error, null);
  });

  it('still accepts the emailed 6-digit code of a PKCE flow', async () => {
    const c = pkceClient();
    await s.gw.db.admin.query(sql`update auth.users set recovery_sent_at = null where email = 'pk@example.com'`);
    assert.equal((await c.auth.signInWithOtp({ email: 'pk@example.com' })).error, null);
    const { code } = await lastMail(s, 'pk@example.com');
    const { error } = await c.auth.verifyOtp({ email: 'pk@example.com', token: code, type: 'email' });
    assert.equal(error, null);
  });

  it('refuses a wrong verifier, a spent code and an empty request', async () => {
    const c = pkceClient();
    await c.auth.signUp({ email: 'pk2@example.com', password });
    const code = (await follow((await lastMail(s, 'pk2@example.com')).link)).searchParams.get('code');
    const wrong = await token({ auth_code: code, code_verifier: 'x'.repeat(43) });
    assert.deepEqual([wrong.status, wrong.headers.get('x-sb-error-code')], [400, 'bad_code_verifier']);
    assert.equal((await c.auth.exchangeCodeForSession(code ?? '')).error, null, 'a wrong verifier does not spend the code');
    const spent = await token({ auth_code: code, code_verifier: 'x'.repeat(43) });
    assert.deepEqual([spent.status, spent.headers.get('x-sb-error-code')], [404, 'flow_state_not_found']);
    const empty = await token({});
    assert.deepEqual([empty.status, empty.headers.get('x-sb-error-code')], [400, 'validation_failed']);
  });

  it('sends a spent PKCE link back with the error in the query string', async () => {
    const c = pkceClient();
    await c.auth.signUp({ email: 'pk3@example.com', password });
    const { link } = await lastMail(s, 'pk3@example.com');
    await follow(link);
    const again = await follow(link);
    assert.deepEqual([again.searchParams.get('error'), again.searchParams.get('error_code')], ['access_denied', 'otp_expired']);
  });

  it('refuses a malformed challenge: 400 validation_failed', async () => {
    const res = await fetch(`${s.url}/auth/v1/recover`, {
      method: 'POST',
      headers: { apikey: s.gw.keys.anon, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'pk@example.com', code_challenge: 'short', code_challenge_method: 's256' }),
    });
    assert.deepEqual([res.status, res.headers.get('x-sb-error-code')], [400, 'validation_failed']);
  });
});
