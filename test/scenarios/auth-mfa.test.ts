// MFA with TOTP through supabase-js: enrol, challenge, verify to aal2, what aal1 sessions may
// no longer do, unenrol, the admin's factors API, and an RLS policy that reads the `aal`
// claim through the REST API.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { SupabaseClient } from '@supabase/supabase-js';
import { sql } from '../../src/lib/sql.ts';
import { totpAt } from '../../src/auth/codes/totp.ts';
import { dbKind } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { supabase } from '../support/supabase.ts';

const blog = join(import.meta.dirname, '../../examples/blog');
const password = 'correct horse';
const claimsOf = (jwt: string | undefined) => JSON.parse(Buffer.from((jwt ?? '').split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
const now = () => Math.floor(Date.now() / 1000);

describe(`Auth MFA (TOTP) through supabase-js (${dbKind})`, () => {
  let s: TestServer;
  const client = () => supabase(s.url, s.gw.keys.anon);
  const admin = () => supabase(s.url, s.gw.keys.serviceRole);
  /** A new confirmed user signed in on a fresh client. */
  const signedIn = async (email: string): Promise<SupabaseClient> => {
    const c = client();
    assert.equal((await c.auth.signUp({ email, password })).error, null);
    return c;
  };
  /** Enrols a TOTP factor and verifies it, leaving the client's session at aal2. */
  const withVerifiedFactor = async (c: SupabaseClient) => {
    const { data } = await c.auth.mfa.enroll({ factorType: 'totp' });
    assert.ok(data);
    const { error } = await c.auth.mfa.challengeAndVerify({ factorId: data.id, code: totpAt(data.totp.secret, now()) });
    assert.equal(error, null);
    return data;
  };
  before(async () => {
    s = await startTestServer({ projectDir: blog, env: { GROUNDWORK_AUTH_AUTOCONFIRM: 'true', GROUNDWORK_AUTH_ANONYMOUS_SIGN_INS: 'true', GROUNDWORK_AUTH_SITE_URL: 'http://app.test:3000' } });
    // A table only aal2 sessions may read: RLS decides from the token's claims.
    await s.gw.db.admin.query(sql`create table public.vault (id int primary key, secret text)`);
    await s.gw.db.admin.query(sql`insert into public.vault values (1, 'the combination')`);
    await s.gw.db.admin.query(sql`alter table public.vault enable row level security`);
    await s.gw.db.admin.query(sql`create policy aal2_only on public.vault for select to authenticated using ((auth.jwt() ->> 'aal') = 'aal2')`);
    await s.gw.db.admin.query(sql`grant select on public.vault to authenticated`);
    await s.gw.schema.reload('test');
  });
  after(() => s.stop());

  it('enrols a TOTP factor: secret, otpauth URI and QR code; it stays unverified until a code is verified', async () => {
    const c = await signedIn('enrol@example.com');
    const { data, error } = await c.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'phone app' });
    assert.equal(error, null);
    assert.equal(data?.type, 'totp');
    assert.equal(data?.friendly_name, 'phone app');
    assert.match(data?.totp.secret ?? '', /^[A-Z2-7]{32}$/);
    assert.match(data?.totp.uri ?? '', /^otpauth:\/\/totp\/app\.test%3A3000:enrol%40example\.com\?secret=[A-Z2-7]{32}&issuer=app\.test%3A3000/);
    assert.match(data?.totp.qr_code ?? '', /^data:image\/svg\+xml;utf-8,<svg /);
    const factors = await c.auth.mfa.listFactors();
    assert.equal(factors.data?.all.length, 1);
    assert.equal(factors.data?.all[0]?.status, 'unverified');
    assert.equal(factors.data?.totp.length, 0, 'only verified factors are listed by type');
    const aal = await c.auth.mfa.getAuthenticatorAssuranceLevel();
    assert.deepEqual([aal.data?.currentLevel, aal.data?.nextLevel], ['aal1', 'aal1']);
  });

  it('refuses a wrong code, then verifies the right one: aal2 token with the totp method, other aal1 sessions ended', async () => {
    const c = await signedIn('verify@example.com');
    const other = client();
    assert.equal((await other.auth.signInWithPassword({ email: 'verify@example.com', password })).error, null);
    const before = (await c.auth.getSession()).data.session;
    const { data: factor } = await c.auth.mfa.enroll({ factorType: 'totp' });
    assert.ok(factor);
    const { data: ch, error: chError } = await c.auth.mfa.challenge({ factorId: factor.id });
    assert.equal(chError, null);
    assert.ok(Math.abs((ch?.expires_at ?? 0) - (now() + 300)) <= 5, 'challenges live five minutes');
    const wrong = await c.auth.mfa.verify({ factorId: factor.id, challengeId: ch?.id ?? '', code: totpAt(factor.totp.secret, now() - 300) });
    assert.equal(wrong.error?.message, 'Invalid TOTP code entered');
    assert.equal(wrong.error?.code, 'mfa_verification_failed');
    const { data, error } = await c.auth.mfa.verify({ factorId: factor.id, challengeId: ch?.id ?? '', code: totpAt(factor.totp.secret, now()) });
    assert.equal(error, null);
    const claims = claimsOf(data?.access_token);
    assert.equal(claims['aal'], 'aal2');
    assert.deepEqual((claims['amr'] as Array<{ method: string }>).map((a) => a.method), ['totp', 'password']);
    assert.equal(claims['session_id'], claimsOf(before?.access_token)['session_id'], 'same session, stepped up');
    assert.notEqual(data?.refresh_token, before?.refresh_token, 'the refresh token is rotated');
    const aal = await c.auth.mfa.getAuthenticatorAssuranceLevel();
    assert.deepEqual([aal.data?.currentLevel, aal.data?.nextLevel], ['aal2', 'aal2']);
    assert.equal((await c.auth.mfa.listFactors()).data?.totp[0]?.status, 'verified');
    // auth-js turns session_not_found into AuthSessionMissingError and drops the session.
    assert.equal((await other.auth.getUser()).error?.name, 'AuthSessionMissingError', 'the aal1 session was ended');
    const refreshed = await c.auth.refreshSession();
    assert.equal(claimsOf(refreshed.data.session?.access_token)['aal'], 'aal2', 'a refresh keeps aal2');
  });

  it('lets RLS tell aal1 from aal2 through the REST API', async () => {
    const c = await signedIn('vault@example.com');
    assert.deepEqual((await c.from('vault').select('secret')).data, []);
    await withVerifiedFactor(c);
    assert.deepEqual((await c.from('vault').select('secret')).data, [{ secret: 'the combination' }]);
    const later = client();
    assert.equal((await later.auth.signInWithPassword({ email: 'vault@example.com', password })).error, null);
    const aal = await later.auth.mfa.getAuthenticatorAssuranceLevel();
    assert.deepEqual([aal.data?.currentLevel, aal.data?.nextLevel], ['aal1', 'aal2'], 'a password sign-in is aal1 and must step up');
    assert.deepEqual((await later.from('vault').select('secret')).data, []);
  });

  it('asks aal1 sessions of a user with a verified factor to step up before changing credentials or factors', async () => {
    const c = await signedIn('stepup@example.com');
    const factor = await withVerifiedFactor(c);
    const aal1 = client();
    assert.equal((await aal1.auth.signInWithPassword({ email: 'stepup@example.com', password })).error, null);
    const enrol = await aal1.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'second' });
    assert.deepEqual([enrol.error?.status, enrol.error?.code], [403, 'insufficient_aal']);
    const update = await aal1.auth.updateUser({ password: 'another password' });
    assert.deepEqual([update.error?.status, update.error?.code], [401, 'insufficient_aal']);
    const remove = await aal1.auth.mfa.unenroll({ factorId: factor.id });
    assert.deepEqual([remove.error?.status, remove.error?.code], [422, 'insufficient_aal']);
    assert.equal((await c.auth.updateUser({ password: 'another password' })).error, null, 'aal2 may');
  });

  it('unenrols from aal2: the session goes back to aal1 and the factor is gone', async () => {
    const c = await signedIn('unenrol@example.com');
    const factor = await withVerifiedFactor(c);
    const { data, error } = await c.auth.mfa.unenroll({ factorId: factor.id });
    assert.equal(error, null);
    assert.equal(data?.id, factor.id);
    assert.equal((await c.auth.mfa.listFactors()).data?.all.length, 0);
    const refreshed = await c.auth.refreshSession();
    const claims = claimsOf(refreshed.data.session?.access_token);
    assert.equal(claims['aal'], 'aal1');
    assert.deepEqual((claims['amr'] as Array<{ method: string }>).map((a) => a.method), ['password']);
  });

  it('answers challenges that expired, came from another address, or were already used', async () => {
    const c = await signedIn('challenge@example.com');
    const { data: factor } = await c.auth.mfa.enroll({ factorType: 'totp' });
    assert.ok(factor);
    const code = () => totpAt(factor.totp.secret, now());
    const expired = (await c.auth.mfa.challenge({ factorId: factor.id })).data;
    await s.gw.db.admin.query(sql`update auth.mfa_challenges set created_at = now() - interval '301 seconds' where id = ${expired?.id ?? ''}::uuid`);
    const late = await c.auth.mfa.verify({ factorId: factor.id, challengeId: expired?.id ?? '', code: code() });
    assert.equal(late.error?.code, 'mfa_challenge_expired');
    const again = await c.auth.mfa.verify({ factorId: factor.id, challengeId: expired?.id ?? '', code: code() });
    assert.deepEqual([again.error?.status, again.error?.code], [422, 'mfa_factor_not_found'], 'an expired challenge is deleted');
    const moved = (await c.auth.mfa.challenge({ factorId: factor.id })).data;
    await s.gw.db.admin.query(sql`update auth.mfa_challenges set ip_address = '203.0.113.9' where id = ${moved?.id ?? ''}::uuid`);
    assert.equal((await c.auth.mfa.verify({ factorId: factor.id, challengeId: moved?.id ?? '', code: code() })).error?.code, 'mfa_ip_address_mismatch');
    const used = (await c.auth.mfa.challenge({ factorId: factor.id })).data;
    assert.equal((await c.auth.mfa.verify({ factorId: factor.id, challengeId: used?.id ?? '', code: code() })).error, null);
    assert.equal((await c.auth.mfa.verify({ factorId: factor.id, challengeId: used?.id ?? '', code: code() })).error?.code, 'mfa_ip_address_mismatch', 'a challenge verifies once');
    const empty = await c.auth.mfa.verify({ factorId: factor.id, challengeId: used?.id ?? '', code: '' });
    assert.equal(empty.error?.message, 'Code needs to be non-empty');
  });

  it('refuses bad enrolments and unknown factors with Supabase Auth errors', async () => {
    const c = await signedIn('refuse@example.com');
    assert.equal((await c.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'dup' })).error, null);
    const dup = await c.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'dup' });
    assert.equal(dup.error?.code, 'mfa_factor_name_conflict');
    assert.equal((await c.auth.mfa.enroll({ factorType: 'phone', phone: '+15555550100' })).error?.code, 'mfa_phone_enroll_not_enabled');
    assert.equal((await c.auth.mfa.challenge({ factorId: '00000000-0000-4000-8000-000000000000' })).error?.code, 'mfa_factor_not_found');
    const other = await signedIn('refuse-other@example.com');
    const { data: theirs } = await other.auth.mfa.enroll({ factorType: 'totp' });
    assert.equal((await c.auth.mfa.unenroll({ factorId: theirs?.id ?? '' })).error?.code, 'mfa_factor_not_found', "another user's factor is not found");
    // supabase-js without a session sends the anon key, which names no user; a bare request names nobody at all.
    assert.equal((await client().auth.mfa.enroll({ factorType: 'totp' })).error?.message, 'invalid claim: missing sub claim');
    const bare = await fetch(`${s.url}/auth/v1/factors`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"factor_type":"totp"}' });
    assert.equal(bare.status, 401);
    assert.match(((await bare.json()) as { msg: string }).msg, /Bearer token/);
    const anon = client();
    assert.equal((await anon.auth.signInAnonymously()).error, null);
    const anonymous = await anon.auth.mfa.enroll({ factorType: 'totp' });
    assert.deepEqual([anonymous.error?.status, anonymous.error?.message], [403, 'Anonymous user not allowed to perform these actions']);
    for (let i = 0; i < 9; i++) assert.equal((await c.auth.mfa.enroll({ factorType: 'totp', friendlyName: `f${i}` })).error, null);
    assert.equal((await c.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'eleventh' })).error?.code, 'too_many_enrolled_mfa_factors');
  });

  it('accepts a code once: the same code on a new challenge is refused', async () => {
    const c = await signedIn('replay@example.com');
    const { data: factor } = await c.auth.mfa.enroll({ factorType: 'totp' });
    assert.ok(factor);
    const code = totpAt(factor.totp.secret, now());
    assert.equal((await c.auth.mfa.challengeAndVerify({ factorId: factor.id, code })).error, null);
    const again = await c.auth.mfa.challengeAndVerify({ factorId: factor.id, code });
    assert.equal(again.error?.code, 'mfa_verification_failed');
    const earlier = await c.auth.mfa.challengeAndVerify({ factorId: factor.id, code: totpAt(factor.totp.secret, now() - 30) });
    assert.equal(earlier.error?.code, 'mfa_verification_failed', 'nor a code from before the accepted one');
  });

  it('locks a factor after ten wrong codes, even against the right one', async () => {
    const c = await signedIn('guess@example.com');
    const { data: factor } = await c.auth.mfa.enroll({ factorType: 'totp' });
    assert.ok(factor);
    const right = totpAt(factor.totp.secret, now());
    const window = [-30, 0, 30].map((d) => totpAt(factor.totp.secret, now() + d));
    const wrong = ['000000', '111111', '222222', '333333'].find((w) => !window.includes(w)) ?? '';
    const ch = (await c.auth.mfa.challenge({ factorId: factor.id })).data;
    for (let i = 0; i < 10; i++) assert.equal((await c.auth.mfa.verify({ factorId: factor.id, challengeId: ch?.id ?? '', code: wrong })).error?.code, 'mfa_verification_failed');
    const locked = await c.auth.mfa.verify({ factorId: factor.id, challengeId: ch?.id ?? '', code: right });
    assert.deepEqual([locked.error?.status, locked.error?.code], [429, 'over_request_rate_limit']);
  });

  it('limits challenges per factor', async () => {
    const c = await signedIn('limit@example.com');
    const { data: factor } = await c.auth.mfa.enroll({ factorType: 'totp' });
    assert.ok(factor);
    await s.gw.db.admin.query(sql`insert into _groundwork.rate_limits (key, window_start, hits) values (${`mfa:factor:${factor.id}`}, now(), 75)`);
    const { error } = await c.auth.mfa.challenge({ factorId: factor.id });
    assert.deepEqual([error?.status, error?.code], [429, 'over_request_rate_limit']);
  });

  it("gives the admin a user's factors to list, rename and delete", async () => {
    const c = await signedIn('admin-mfa@example.com');
    const factor = await withVerifiedFactor(c);
    const userId = (await c.auth.getUser()).data.user?.id ?? '';
    const listed = await admin().auth.admin.mfa.listFactors({ userId });
    assert.equal(listed.error, null);
    assert.deepEqual(listed.data?.factors.map((f) => [f.id, f.status, f.factor_type]), [[factor.id, 'verified', 'totp']]);
    const renamed = await fetch(`${s.url}/auth/v1/admin/users/${userId}/factors/${factor.id}`, {
      method: 'PUT',
      headers: { apikey: s.gw.keys.serviceRole, authorization: `Bearer ${s.gw.keys.serviceRole}`, 'content-type': 'application/json' },
      body: JSON.stringify({ friendly_name: 'renamed' }),
    });
    assert.equal(((await renamed.json()) as { friendly_name: string }).friendly_name, 'renamed');
    const deleted = await admin().auth.admin.mfa.deleteFactor({ userId, id: factor.id });
    assert.equal(deleted.error, null);
    assert.equal((deleted.data as unknown as { data: { id: string } }).data.id, factor.id);
    assert.deepEqual((await admin().auth.admin.mfa.listFactors({ userId })).data?.factors, []);
    const claims = claimsOf((await c.auth.refreshSession()).data.session?.access_token);
    assert.equal(claims['aal'], 'aal1', 'sessions the factor raised go back to aal1');
    const missing = await admin().auth.admin.mfa.listFactors({ userId: '00000000-0000-4000-8000-000000000000' });
    assert.equal(missing.error?.code, 'user_not_found');
    assert.equal((await c.auth.admin.mfa.listFactors({ userId })).error?.code, 'not_admin');
  });
});
