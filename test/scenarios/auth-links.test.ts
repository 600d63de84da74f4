// Admin links and reauthentication through supabase-js: inviting a user by email, generating
// verification links without sending them, and the reauthentication nonce that a password
// change may demand.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sql } from '../../src/lib/sql.ts';
import { dbKind } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { supabase } from '../support/supabase.ts';
import { lastMail, outbox } from '../support/outbox.ts';

const blog = join(import.meta.dirname, '../../examples/blog');
const password = 'correct horse';
const errorOf = (r: { error: unknown }) => {
  const e = r.error as { status?: number; code?: string } | null;
  return e === null ? null : [e.status, e.code];
};

describe(`Auth admin links (${dbKind})`, () => {
  let s: TestServer;
  const client = () => supabase(s.url, s.gw.keys.anon);
  const admin = () => supabase(s.url, s.gw.keys.serviceRole).auth.admin;
  before(async () => {
    s = await startTestServer({ projectDir: blog, env: { GROUNDWORK_AUTH_AUTOCONFIRM: 'false', GROUNDWORK_AUTH_SITE_URL: 'http://app.test' } });
  });
  after(() => s.stop());

  it('invites a user by email; the invite link signs them in, confirmed', async () => {
    const { data, error } = await admin().inviteUserByEmail('Ivy@Example.com', { data: { team: 'blue' } });
    assert.equal(error, null);
    assert.equal(data.user?.email, 'ivy@example.com');
    assert.match(data.user?.invited_at ?? '', /^\d{4}-/);
    assert.equal(data.user?.user_metadata['team'], 'blue');
    const mail = await lastMail(s, 'ivy@example.com');
    assert.deepEqual([mail.subject, mail.kind], ['You have been invited', 'invite']);
    assert.match(mail.link, /type=invite&redirect_to=http%3A%2F%2Fapp.test$/);
    const verified = await client().auth.verifyOtp({ token_hash: mail.tokenHash, type: 'invite' });
    assert.equal(verified.error, null);
    assert.match(verified.data.user?.email_confirmed_at ?? '', /^\d{4}-/);
  });

  it('refuses to invite a confirmed user: 422 email_exists', async () => {
    assert.deepEqual(errorOf(await admin().inviteUserByEmail('ivy@example.com')), [422, 'email_exists']);
  });

  it('refuses invites without the service role', async () => {
    const r = await client().auth.admin.inviteUserByEmail('sneaky@example.com');
    assert.deepEqual(errorOf(r), [403, 'not_admin']);
  });

  it('generates a sign-up link without sending an email', async () => {
    const before = (await outbox(s)).length;
    const { data, error } = await admin().generateLink({ type: 'signup', email: 'gen@example.com', password, options: { data: { from: 'admin' } } });
    assert.equal(error, null);
    const p = data.properties;
    assert.equal(p?.verification_type, 'signup');
    assert.match(p?.email_otp ?? '', /^\d{6}$/);
    assert.match(p?.hashed_token ?? '', /^[0-9a-f]{56}$/);
    assert.equal(p?.redirect_to, 'http://app.test');
    assert.ok(p?.action_link.includes(`/auth/v1/verify?token=${p.hashed_token}&type=signup&redirect_to=`));
    assert.equal(data.user?.email, 'gen@example.com');
    assert.equal((await outbox(s)).length, before, 'no email');

    const byCode = await client().auth.verifyOtp({ email: 'gen@example.com', token: p?.email_otp ?? '', type: 'email' });
    assert.equal(byCode.error, null);
    assert.equal(errorOf(await client().auth.signInWithPassword({ email: 'gen@example.com', password })), null);
  });

  it('generates recovery and magic links for existing users, and a sign-up for new ones', async () => {
    const recovery = await admin().generateLink({ type: 'recovery', email: 'gen@example.com' });
    assert.equal(recovery.data.properties?.verification_type, 'recovery');
    const signedIn = await client().auth.verifyOtp({ token_hash: recovery.data.properties?.hashed_token ?? '', type: 'recovery' });
    assert.equal(signedIn.error, null);

    const magic = await admin().generateLink({ type: 'magiclink', email: 'gen@example.com' });
    assert.equal(magic.data.properties?.verification_type, 'magiclink');
    const newcomer = await admin().generateLink({ type: 'magiclink', email: 'fresh@example.com' });
    assert.equal(newcomer.data.properties?.verification_type, 'signup', 'a magic link for a new address signs them up');
  });

  const refusals: Array<[string, Record<string, unknown>, number, string]> = [
    ['a recovery link for an unknown email', { type: 'recovery', email: 'ghost@example.com' }, 404, 'user_not_found'],
    ['a sign-up link for a confirmed user', { type: 'signup', email: 'gen@example.com', password }, 422, 'email_exists'],
    ['a sign-up link without a password', { type: 'signup', email: 'nopass@example.com' }, 400, 'validation_failed'],
    ['an unknown link type', { type: 'bogus', email: 'gen@example.com' }, 400, 'validation_failed'],
  ];
  for (const [name, body, status, code] of refusals) {
    it(`refuses ${name}: ${status} ${code}`, async () => {
      const res = await fetch(`${s.url}/auth/v1/admin/generate_link`, {
        method: 'POST',
        headers: { apikey: s.gw.keys.serviceRole, authorization: `Bearer ${s.gw.keys.serviceRole}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      assert.deepEqual([res.status, res.headers.get('x-sb-error-code')], [status, code]);
    });
  }
});

describe(`Auth reauthentication (${dbKind})`, () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ projectDir: blog, env: { GROUNDWORK_AUTH_AUTOCONFIRM: 'true', GROUNDWORK_AUTH_SECURE_PASSWORD_CHANGE: 'true', GROUNDWORK_AUTH_ANONYMOUS_SIGN_INS: 'true' } });
  });
  after(() => s.stop());

  it('emails a nonce, once a minute', async () => {
    const c = supabase(s.url, s.gw.keys.anon);
    await c.auth.signUp({ email: 'rea@example.com', password });
    assert.equal((await c.auth.reauthenticate()).error, null);
    const mail = await lastMail(s, 'rea@example.com');
    assert.deepEqual([mail.subject, mail.kind, mail.link], ['Confirm reauthentication', 'reauthentication', '']);
    assert.deepEqual(errorOf(await c.auth.reauthenticate()), [429, 'over_email_send_rate_limit']);
  });

  it('refuses an anonymous user, who has no email: 400 validation_failed', async () => {
    const c = supabase(s.url, s.gw.keys.anon);
    await c.auth.signInAnonymously();
    assert.deepEqual(errorOf(await c.auth.reauthenticate()), [400, 'validation_failed']);
  });

  it('lets a fresh session change the password without a nonce', async () => {
    const c = supabase(s.url, s.gw.keys.anon);
    await c.auth.signInWithPassword({ email: 'rea@example.com', password });
    assert.equal((await c.auth.updateUser({ password: 'second password' })).error, null);
  });

  it('demands the nonce from a session older than a day, and spends it', async () => {
    const c = supabase(s.url, s.gw.keys.anon);
    const { data } = await c.auth.signInWithPassword({ email: 'rea@example.com', password: 'second password' });
    const sessionId = (JSON.parse(Buffer.from((data.session?.access_token ?? '').split('.')[1] ?? '', 'base64url').toString()) as { session_id: string }).session_id;
    await s.gw.db.admin.query(sql`update auth.sessions set created_at = now() - interval '25 hours' where id = ${sessionId}::uuid`);
    await s.gw.db.admin.query(sql`update auth.users set reauthentication_sent_at = null where email = 'rea@example.com'`);

    assert.deepEqual(errorOf(await c.auth.updateUser({ password: 'third password' })), [400, 'reauthentication_needed']);
    assert.deepEqual(errorOf(await c.auth.updateUser({ password: 'third password', nonce: '000000x' })), [422, 'reauthentication_not_valid']);
    await c.auth.reauthenticate();
    const { code } = await lastMail(s, 'rea@example.com');
    assert.equal((await c.auth.updateUser({ password: 'third password', nonce: code })).error, null);
    assert.deepEqual(errorOf(await c.auth.updateUser({ password: 'fourth password', nonce: code })), [422, 'reauthentication_not_valid'], 'a nonce works once');
  });
});
