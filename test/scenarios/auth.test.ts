// Auth through supabase-js, unchanged: sign-up, password sign-in, the user, refresh-token
// rotation and reuse detection, sign-out, error shapes, and a signed-in user working
// through the REST API under row-level security (the blog example).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { dbKind } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { supabase } from '../support/supabase.ts';

const blog = join(import.meta.dirname, '../../examples/blog');
const password = 'correct horse';

describe(`Auth through supabase-js (${dbKind})`, () => {
  let s: TestServer;
  const client = () => supabase(s.url, s.gw.keys.anon);
  const raw = (path: string, init: RequestInit = {}) => fetch(`${s.url}/auth/v1${path}`, { ...init, headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) } });
  before(async () => {
    s = await startTestServer({ projectDir: blog, env: { GROUNDWORK_AUTH_AUTOCONFIRM: 'true', GROUNDWORK_AUTH_REFRESH_REUSE_INTERVAL: '0' } });
  });
  after(() => s.stop());

  it('signs up with email and password, getting a session and the user', async () => {
    const { data, error } = await client().auth.signUp({ email: 'Ada@Example.com', password, options: { data: { name: 'Ada' } } });
    assert.equal(error, null);
    assert.ok(data.session?.access_token && data.session.refresh_token.length === 12);
    assert.equal(data.session?.token_type, 'bearer');
    assert.equal(data.session?.expires_in, 3600);
    const u = data.user;
    assert.equal(u?.email, 'ada@example.com');
    assert.equal(u?.role, 'authenticated');
    assert.deepEqual(u?.app_metadata, { provider: 'email', providers: ['email'] });
    assert.deepEqual(u?.user_metadata, { name: 'Ada', email_verified: true });
    assert.equal(u?.identities?.[0]?.provider, 'email');
    assert.match(u?.email_confirmed_at ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('puts Supabase claims in the access token', async () => {
    const { data } = await client().auth.signInWithPassword({ email: 'ada@example.com', password });
    const claims = JSON.parse(Buffer.from((data.session?.access_token ?? '').split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
    assert.equal(claims['sub'], data.user?.id);
    assert.equal(claims['role'], 'authenticated');
    assert.equal(claims['aud'], 'authenticated');
    assert.equal(claims['email'], 'ada@example.com');
    assert.equal(claims['aal'], 'aal1');
    assert.equal(claims['is_anonymous'], false);
    assert.match(String(claims['session_id']), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal((claims['amr'] as Array<{ method: string }>)[0]?.method, 'password');
    assert.equal((claims['exp'] as number) - (claims['iat'] as number), 3600);
  });

  const refusals: Array<[string, () => PromiseLike<{ error: unknown }>, number, string, string]> = [
    ['a taken email', () => client().auth.signUp({ email: 'ada@example.com', password }), 422, 'user_already_exists', 'User already registered'],
    ['a weak password', () => client().auth.signUp({ email: 'weak@example.com', password: 'abc' }), 422, 'weak_password', 'Password should be at least 6 characters.'],
    ['a malformed email', () => client().auth.signUp({ email: 'nope', password }), 400, 'validation_failed', 'Unable to validate email address: invalid format'],
    ['a wrong password', () => client().auth.signInWithPassword({ email: 'ada@example.com', password: 'wrong password' }), 400, 'invalid_credentials', 'Invalid login credentials'],
    ['an unknown email', () => client().auth.signInWithPassword({ email: 'ghost@example.com', password }), 400, 'invalid_credentials', 'Invalid login credentials'],
    ['anonymous sign-in (disabled)', () => client().auth.signInAnonymously(), 422, 'anonymous_provider_disabled', 'Anonymous sign-ins are disabled'],
  ];
  for (const [name, run, status, code, message] of refusals) {
    it(`refuses ${name}: ${status} ${code}`, async () => {
      const { error } = await run();
      const e = error as { status: number; code: string; message: string; reasons?: string[] } | null;
      assert.ok(e !== null);
      assert.deepEqual([e.status, e.code, e.message], [status, code, message]);
      if (code === 'weak_password') assert.deepEqual(e.reasons, ['length']);
    });
  }

  it('answers the legacy error shape without an API version header', async () => {
    const res = await raw('/token?grant_type=password', { method: 'POST', body: JSON.stringify({ email: 'ada@example.com', password: 'x' }) });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' });
    assert.equal(res.headers.get('x-sb-error-code'), 'invalid_credentials');
  });

  it('reads and updates the user; null metadata keys are removed', async () => {
    const c = client();
    await c.auth.signInWithPassword({ email: 'ada@example.com', password });
    const got = await c.auth.getUser();
    assert.equal(got.data.user?.email, 'ada@example.com');
    const updated = await c.auth.updateUser({ data: { name: null, theme: 'dark' } });
    assert.equal(updated.error, null);
    assert.deepEqual(updated.data.user?.user_metadata, { email_verified: true, theme: 'dark' });
  });

  it('rotates refresh tokens and ends the session when an old one is reused', async () => {
    const c = client();
    const first = (await c.auth.signInWithPassword({ email: 'ada@example.com', password })).data.session;
    const t1 = first?.refresh_token as string;
    const second = await c.auth.refreshSession({ refresh_token: t1 });
    const t2 = second.data.session?.refresh_token as string;
    assert.notEqual(t2, t1);
    const again = await c.auth.refreshSession({ refresh_token: t1 });
    assert.equal(again.data.session?.refresh_token, t2, 'the parent of the active token gets that token again');
    const third = await c.auth.refreshSession({ refresh_token: t2 });
    const t3 = third.data.session?.refresh_token as string;
    const reuse = await c.auth.refreshSession({ refresh_token: t1 });
    assert.equal((reuse.error as { code: string } | null)?.code, 'refresh_token_already_used');
    const afterReuse = await c.auth.refreshSession({ refresh_token: t3 });
    assert.equal((afterReuse.error as { code: string } | null)?.code, 'refresh_token_not_found', 'the session was ended with all its tokens');
  });

  it('refuses malformed and unknown refresh tokens', async () => {
    const bad = await raw('/token?grant_type=refresh_token', { method: 'POST', headers: { 'x-supabase-api-version': '2024-01-01' }, body: JSON.stringify({ refresh_token: 'invalid-refresh-token' }) });
    assert.deepEqual([bad.status, await bad.json()], [400, { code: 'validation_failed', message: 'Refresh token is not valid' }]);
    const unknown = await raw('/token?grant_type=refresh_token', { method: 'POST', headers: { 'x-supabase-api-version': '2024-01-01' }, body: JSON.stringify({ refresh_token: 'abcdefghijkl' }) });
    assert.deepEqual([unknown.status, ((await unknown.json()) as { code: string }).code], [400, 'refresh_token_not_found']);
  });

  it('signs out: the session is gone, its access token no longer reaches /user', async () => {
    const c = client();
    const session = (await c.auth.signInWithPassword({ email: 'ada@example.com', password })).data.session;
    const token = session?.access_token as string;
    assert.equal((await c.auth.signOut()).error, null);
    const res = await raw('/user', { headers: { authorization: `Bearer ${token}`, 'x-supabase-api-version': '2024-01-01' } });
    assert.deepEqual([res.status, ((await res.json()) as { code: string }).code], [403, 'session_not_found']);
  });

  it('asks for a Bearer token on /user', async () => {
    const none = await raw('/user', { headers: { 'x-supabase-api-version': '2024-01-01' } });
    assert.deepEqual([none.status, await none.json()], [401, { code: 'no_authorization', message: 'This endpoint requires a valid Bearer token' }]);
    const anonKey = await raw('/user', { headers: { authorization: `Bearer ${s.gw.keys.anon}`, 'x-supabase-api-version': '2024-01-01' } });
    assert.deepEqual([anonKey.status, await anonKey.json()], [403, { code: 'bad_jwt', message: 'invalid claim: missing sub claim' }]);
  });

  it('serves health and settings', async () => {
    assert.equal(((await (await raw('/health')).json()) as { name: string }).name, 'GoTrue');
    const settings = (await (await raw('/settings')).json()) as { external: Record<string, boolean>; mailer_autoconfirm: boolean; disable_signup: boolean };
    assert.deepEqual([settings.external['email'], settings.external['google'], settings.mailer_autoconfirm, settings.disable_signup], [true, false, true, false]);
  });

  it('lets a signed-in user change only their own rows through REST', async () => {
    const c = client();
    const { data } = await c.auth.signUp({ email: 'grace@example.com', password });
    const me = data.user?.id as string;
    const own = await c.from('profiles').insert({ id: me, username: 'grace' }).select('username');
    assert.deepEqual([own.status, own.data], [201, [{ username: 'grace' }]]);
    const other = await c.from('profiles').insert({ id: '22222222-2222-4222-8222-222222222222', username: 'not-me' });
    assert.deepEqual([other.status, (other.error as { code: string } | null)?.code], [403, '42501']);
    const post = await c.from('posts').insert({ author_id: me, title: 'Draft by Grace' }).select('id').single();
    assert.equal(post.error, null);
    const anonymous = client();
    const hidden = await anonymous.from('posts').select('id').eq('id', (post.data as { id: string }).id);
    assert.deepEqual(hidden.data, [], 'a draft is invisible to others');
  });
});

describe(`Auth admin API through supabase-js (${dbKind})`, () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ projectDir: blog, env: { GROUNDWORK_AUTH_AUTOCONFIRM: 'false' } });
  });
  after(() => s.stop());
  const admin = () => supabase(s.url, s.gw.keys.serviceRole).auth.admin;
  const signIn = (email: string, pw = password) => supabase(s.url, s.gw.keys.anon).auth.signInWithPassword({ email, password: pw });

  it('creates users, confirmed or not', async () => {
    const confirmed = await admin().createUser({ email: 'staff@example.com', password, email_confirm: true, user_metadata: { team: 'ops' }, app_metadata: { plan: 'pro' } });
    assert.equal(confirmed.error, null);
    assert.deepEqual(confirmed.data.user?.app_metadata, { provider: 'email', providers: ['email'], plan: 'pro' });
    assert.equal((await signIn('staff@example.com')).error, null);
    await admin().createUser({ email: 'pending@example.com', password });
    assert.equal(((await signIn('pending@example.com')).error as { code: string } | null)?.code, 'email_not_confirmed');
    const dup = await admin().createUser({ email: 'staff@example.com', password });
    assert.equal((dup.error as { code: string } | null)?.code, 'email_exists');
  });

  it('lists users a page at a time, with the total', async () => {
    const { data, error } = await admin().listUsers({ page: 1, perPage: 1 });
    assert.equal(error, null);
    assert.equal(data.users.length, 1);
    assert.equal((data as unknown as { total: number }).total, 4, 'two seeded, two created');
    assert.equal((data as unknown as { lastPage: number }).lastPage, 4);
    assert.equal((data as unknown as { nextPage: number }).nextPage, 2);
  });

  it('gets, updates and bans users', async () => {
    const id = (await admin().createUser({ email: 'ban@example.com', password, email_confirm: true })).data.user?.id as string;
    assert.equal((await admin().getUserById(id)).data.user?.email, 'ban@example.com');
    const updated = await admin().updateUserById(id, { user_metadata: { nick: 'b' }, ban_duration: '24h' });
    assert.equal(updated.error, null);
    assert.deepEqual(updated.data.user?.user_metadata, { email_verified: true, nick: 'b' });
    assert.equal(((await signIn('ban@example.com')).error as { code: string } | null)?.code, 'user_banned');
    await admin().updateUserById(id, { ban_duration: 'none', password: 'a new password' });
    assert.equal((await signIn('ban@example.com', 'a new password')).error, null);
  });

  it('deletes users, hard and soft', async () => {
    const hard = (await admin().createUser({ email: 'gone@example.com', password, email_confirm: true })).data.user?.id as string;
    assert.equal((await admin().deleteUser(hard)).error, null);
    assert.equal(((await admin().getUserById(hard)).error as { code: string } | null)?.code, 'user_not_found');
    const soft = (await admin().createUser({ email: 'soft@example.com', password, email_confirm: true })).data.user?.id as string;
    assert.equal((await admin().deleteUser(soft, true)).error, null);
    assert.equal(((await signIn('soft@example.com')).error as { code: string } | null)?.code, 'invalid_credentials');
  });

  it('refuses callers that are not admins', async () => {
    const r = await supabase(s.url, s.gw.keys.anon).auth.admin.listUsers();
    assert.deepEqual([(r.error as { status: number; code: string } | null)?.status, (r.error as { code: string } | null)?.code], [403, 'not_admin']);
  });
});

describe(`Auth settings: anonymous sign-ins on, sign-ups off (${dbKind})`, () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ projectDir: blog, env: { GROUNDWORK_AUTH_ANONYMOUS_SIGN_INS: 'true' } });
  });
  after(() => s.stop());

  it('signs in anonymously with the given data, and the token says so', async () => {
    const { data, error } = await supabase(s.url, s.gw.keys.anon).auth.signInAnonymously({ options: { data: { color: 'blue' } } });
    assert.equal(error, null);
    assert.equal(data.user?.is_anonymous, true);
    assert.deepEqual(data.user?.user_metadata, { color: 'blue' });
    assert.deepEqual(data.user?.app_metadata, {});
    const claims = JSON.parse(Buffer.from((data.session?.access_token ?? '').split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
    assert.equal(claims['is_anonymous'], true);
    assert.equal((claims['amr'] as Array<{ method: string }>)[0]?.method, 'anonymous');
  });

  it('refuses sign-ups when they are disabled', async () => {
    const off = await startTestServer({ projectDir: blog, env: { GROUNDWORK_AUTH_DISABLE_SIGNUP: 'true' } });
    try {
      const r = await supabase(off.url, off.gw.keys.anon).auth.signUp({ email: 'late@example.com', password });
      assert.deepEqual([(r.error as { status: number } | null)?.status, (r.error as { code: string } | null)?.code], [422, 'signup_disabled']);
    } finally {
      await off.stop();
    }
  });
});

describe(`Auth: roles in the token through the custom access token hook (${dbKind})`, () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ projectDir: blog, env: { GROUNDWORK_AUTH_AUTOCONFIRM: 'true', GROUNDWORK_AUTH_HOOK_CUSTOM_ACCESS_TOKEN: 'pg-functions://postgres/public/custom_access_token_hook' } });
  });
  after(() => s.stop());
  const ALICE = '11111111-1111-4111-8111-111111111111';
  const claimsOf = (token: string | undefined) => JSON.parse(Buffer.from((token ?? '').split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

  it('adds the role claim, and RLS policies enforce it', async () => {
    await supabase(s.url, s.gw.keys.serviceRole).auth.admin.updateUserById(ALICE, { password });
    const moderator = supabase(s.url, s.gw.keys.anon);
    const signedIn = await moderator.auth.signInWithPassword({ email: 'alice@example.com', password });
    assert.equal(signedIn.error, null, JSON.stringify(signedIn.error));
    assert.equal(claimsOf(signedIn.data.session?.access_token)['user_role'], 'moderator');

    const regular = supabase(s.url, s.gw.keys.anon);
    const signedUp = await regular.auth.signUp({ email: 'reader@example.com', password });
    assert.equal(claimsOf(signedUp.data.session?.access_token)['user_role'], 'user');

    const bobsComment = 'Welcome, Alice!'; // written by Bob in the seed
    const byRegular = await regular.from('comments').delete().eq('body', bobsComment).select('id');
    assert.deepEqual(byRegular.data, [], 'a regular user cannot delete it');
    const byModerator = await moderator.from('comments').delete().eq('body', bobsComment).select('id');
    assert.equal(byModerator.data?.length, 1, 'a moderator can');
  });

  it('keeps the role through a refresh', async () => {
    const c = supabase(s.url, s.gw.keys.anon);
    const first = await c.auth.signInWithPassword({ email: 'alice@example.com', password });
    const refreshed = await c.auth.refreshSession({ refresh_token: first.data.session?.refresh_token as string });
    assert.equal(claimsOf(refreshed.data.session?.access_token)['user_role'], 'moderator');
  });
});

describe(`Auth rate limits, kept in the database (${dbKind})`, () => {
  let s: TestServer;
  const env = { GROUNDWORK_AUTH_AUTOCONFIRM: 'true', GROUNDWORK_AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS: '2', GROUNDWORK_AUTH_RATE_LIMIT_HEADER: 'X-Forwarded-For' };
  before(async () => {
    s = await startTestServer({ projectDir: blog, env });
  });
  after(() => s.stop());
  const from = (url: string, ip: string) => supabase(url, s.gw.keys.anon, undefined, { 'x-forwarded-for': ip });
  const code = (r: { error: unknown }) => (r.error as { status?: number; code?: string } | null)?.code;

  it('limits sign-ups per client address', async () => {
    const c = from(s.url, '10.0.0.1');
    assert.equal(code(await c.auth.signUp({ email: 'r1@example.com', password })), undefined);
    assert.equal(code(await c.auth.signUp({ email: 'r2@example.com', password })), undefined);
    const third = await c.auth.signUp({ email: 'r3@example.com', password });
    assert.deepEqual([(third.error as { status: number }).status, code(third)], [429, 'over_request_rate_limit']);
    assert.equal(code(await from(s.url, '10.0.0.2').auth.signUp({ email: 'r3@example.com', password })), undefined, 'another address is not limited');
  });

  it('limits password sign-ins per account, whatever the address', async () => {
    for (const ip of ['10.1.0.1', '10.1.0.2']) assert.equal(code(await from(s.url, ip).auth.signInWithPassword({ email: 'r1@example.com', password: 'guess' })), 'invalid_credentials');
    assert.equal(code(await from(s.url, '10.1.0.3').auth.signInWithPassword({ email: 'r1@example.com', password })), 'over_request_rate_limit');
  });

  it('limits recovery requests per email, whatever the address', async () => {
    const ask = (ip: string) => from(s.url, ip).auth.resetPasswordForEmail('target@example.com');
    assert.equal(code(await ask('10.3.0.1')), undefined);
    assert.equal(code(await ask('10.3.0.2')), undefined);
    assert.equal(code(await ask('10.3.0.3')), 'over_request_rate_limit');
  });

  it('limits code verifications per email, so codes cannot be guessed from many addresses', async () => {
    const guess = (ip: string) => from(s.url, ip).auth.verifyOtp({ email: 'r1@example.com', token: '000000', type: 'email' });
    assert.equal(code(await guess('10.4.0.1')), 'otp_expired');
    assert.equal(code(await guess('10.4.0.2')), 'otp_expired');
    assert.equal(code(await guess('10.4.0.3')), 'over_request_rate_limit');
  });

  if (dbKind === 'postgres') {
    it('shares the counts between nodes on one database', async () => {
      const second = await startTestServer({ database: s.database, env });
      try {
        assert.equal(code(await from(s.url, '10.2.0.1').auth.signUp({ email: 'n1@example.com', password })), undefined);
        assert.equal(code(await from(second.url, '10.2.0.1').auth.signUp({ email: 'n2@example.com', password })), undefined);
        assert.equal(code(await from(second.url, '10.2.0.1').auth.signUp({ email: 'n3@example.com', password })), 'over_request_rate_limit');
      } finally {
        await second.gw.close();
      }
    });
  }
});
