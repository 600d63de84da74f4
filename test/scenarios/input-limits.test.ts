// No 5xx from input, in every family: input past Groundwork's limits (README "Limits") is a
// 4xx with the family's error shape and a stable code, on both databases, and input just
// inside them works end to end.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { dbKind } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const project = join(import.meta.dirname, '../fixtures/rest');
const BODY_LIMIT = 1024 * 1024;
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
type Init = Omit<RequestInit, 'headers'> & { headers?: Record<string, string> };

describe(`input limits (${dbKind})`, () => {
  let s: TestServer;
  const call = async (prefix: string, path: string, init: Init) => {
    const res = await fetch(`${s.url}${prefix}${path}`, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
    const text = await res.text();
    return { status: res.status, text, body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>), headers: res.headers };
  };
  const rest = (path: string, init: Init = {}) => call('/rest/v1', path, { ...init, headers: { authorization: `Bearer ${s.gw.keys.serviceRole}`, ...init.headers } });
  const auth = (path: string, init: Init = {}) => call('/auth/v1', path, { ...init, headers: { apikey: s.gw.keys.anon, ...init.headers } });
  const admin = (path: string, init: Init = {}) => auth(path, { ...init, headers: { authorization: `Bearer ${s.gw.keys.serviceRole}`, ...init.headers } });
  const post = (body: unknown) => ({ method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
  const signUp = async (email: string, data?: unknown) => auth('/signup', post({ email, password: 'secret123', ...(data === undefined ? {} : { data }) }));

  before(async () => {
    s = await startTestServer({
      projectDir: project,
      env: { GROUNDWORK_BODY_LIMIT: String(BODY_LIMIT), GROUNDWORK_AUTH_AUTOCONFIRM: 'true', GROUNDWORK_AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS: '1000' },
    });
  });
  after(() => s.stop());

  /** A REST refusal: the status and code asked for, PostgREST's shape and Proxy-Status. */
  const restRefusal = (r: Awaited<ReturnType<typeof rest>>, status: number, code: string, message?: RegExp) => {
    assert.equal(r.status, status, r.text);
    assert.equal(r.body?.['code'], code, r.text);
    assert.equal(typeof r.body?.['message'], 'string');
    assert.ok('details' in (r.body ?? {}) && 'hint' in (r.body ?? {}), r.text);
    if (message !== undefined) assert.match(String(r.body?.['message']), message);
    assert.equal(r.headers.get('proxy-status'), `PostgREST; error=${code}`);
  };
  /** An Auth refusal in GoTrue's legacy shape {code, error_code, msg}. */
  const authRefusal = (r: Awaited<ReturnType<typeof auth>>, status: number, errorCode: string, message?: RegExp) => {
    assert.equal(r.status, status, r.text);
    assert.equal(r.body?.['code'], status, r.text);
    assert.equal(r.body?.['error_code'], errorCode, r.text);
    if (message !== undefined) assert.match(String(r.body?.['msg']), message);
    assert.equal(r.headers.get('x-sb-error-code'), errorCode);
  };

  describe('REST', () => {
    it('refuses a JSON body nested 5,000 deep with PGRST102 (POST, PATCH, RPC)', async () => {
      const deep = `{"id":90,"title":"deep","meta":${nested(5000)}}`;
      restRefusal(await rest('/films', post(deep)), 400, 'PGRST102', /^JSON nested deeper than 512 levels$/);
      restRefusal(await rest('/films?id=eq.1', { method: 'PATCH', body: `{"meta":${nested(5000)}}` }), 400, 'PGRST102');
      restRefusal(await rest('/rpc/echo', post(nested(5000))), 400, 'PGRST102');
    });

    it('stores and returns JSON 512 levels deep', async () => {
      const meta = nested(510);
      const created = await rest('/films', { ...post(`{"id":91,"title":"deep","meta":${meta}}`), headers: { prefer: 'return=representation' } });
      assert.equal(created.status, 201, created.text.slice(0, 300));
      const read = await rest('/films?id=eq.91&select=meta');
      assert.equal(read.status, 200);
      assert.equal(JSON.stringify((read.body as unknown as Array<{ meta: unknown }>)[0]?.meta), meta);
    });

    it('refuses logic trees 2,500 deep with PGRST100', async () => {
      const tree = (op: string) => `(${`${op}(`.repeat(2499)}id.eq.1${')'.repeat(2499)})`;
      restRefusal(await rest(`/films?or=${tree('or')}`), 400, 'PGRST100', /^Logic trees can nest at most 100 levels$/);
      restRefusal(await rest(`/films?not.and=${tree('and')}`), 400, 'PGRST100');
    });

    it('refuses embeds and JSON paths past their limits with PGRST100', async () => {
      restRefusal(await rest(`/employees?select=${'employees('.repeat(101)}id${')'.repeat(101)}`), 400, 'PGRST100', /^Embedded resources can nest at most 100 levels$/);
      // PGlite failed this one with XX000 "bad buffer ID".
      restRefusal(await rest(`/films?select=meta${'->a'.repeat(2000)}`), 400, 'PGRST100', /^A JSON path can have at most 100 steps$/);
    });

    it('answers a request at every nesting limit at once', async () => {
      // 100 to-many !inner embeds; at the deepest, a 100-level tree around a 100-step path.
      const embeds = `id,${'employees!inner('.repeat(100)}id${')'.repeat(100)}`;
      const path = `name${'->a'.repeat(99)}->>a`;
      const tree = `(${'or('.repeat(99)}${path}.eq.x,id.gt.0${')'.repeat(99)})`;
      const r = await rest(`/employees?select=${embeds}&${Array.from({ length: 100 }, () => 'employees').join('.')}.or=${tree}`);
      assert.equal(r.status, 200, r.text.slice(0, 300));
      assert.deepEqual(r.body, []);
    });

    it('refuses more than 1,664 columns before PostgreSQL does (54011)', async () => {
      restRefusal(await rest(`/films?select=${Array.from({ length: 1700 }, () => 'id').join(',')}`), 400, 'PGRST100', /at most 1664 columns per level; this one asks for 1700$/);
      restRefusal(await rest(`/films?select=${Array.from({ length: 140 }, () => '*').join(',')}`), 400, 'PGRST100', /asks for 1680$/);
      const r = await rest(`/films?select=${Array.from({ length: 1664 }, () => 'id').join(',')}&id=eq.1`);
      assert.equal(r.status, 200);
    });

    it('refuses NUL in names as a parse error', async () => {
      for (const path of ['/films?select=meta->ke%00y', '/films?select=a%00lias:id', '/films?select=%22a%00lias%22:id', '/films?na%00me=eq.1', '/films?%22ti%00tle%22=eq.1', '/films?order=%22ti%00tle%22', '/films?or=(%22ti%00tle%22.eq.1)']) {
        restRefusal(await rest(path), 400, 'PGRST100', /^"failed to parse/);
      }
    });

    it('answers NUL in values with PostgreSQL’s 4xx, never a 5xx', async () => {
      const cases: Array<[string, Init]> = [
        ['/films?title=eq.a%00b', {}],
        ['/films?or=(title.eq.a%00b)', {}],
        ['/films?meta->>k=eq.a%00', {}],
        ['/rpc/add?a=1%00', {}],
        ['/kv', post('{"k":"a\\u0000b"}')],
        ['/films', post('{"id":92,"title":"x","meta":{"a":"\\u0000"}}')],
        ['/rpc/set_kv', post('{"key":"a\\u0000","value":"b"}')],
        ['/kv', { method: 'POST', body: 'k\na\u0000b', headers: { 'content-type': 'text/csv' } }],
      ];
      for (const [path, init] of cases) {
        const r = await rest(path, init);
        assert.equal(r.status, 400, `${path}: ${r.text}`);
        assert.match(String(r.body?.['code']), /^22(021|P05)$/, `${path}: ${r.text}`);
      }
    });

    it('answers a body over the limit with 413', async () => {
      const r = await rest('/kv', post(`{"k":"${'x'.repeat(BODY_LIMIT)}"}`));
      assert.equal(r.status, 413, r.text);
    });
  });

  describe('Auth', () => {
    it('refuses JSON nested 5,000 deep in every metadata field with validation_failed', async () => {
      const deep = `{"a":${nested(5000)}}`;
      authRefusal(await auth('/signup', post(`{"email":"deep@example.com","password":"secret123","data":${deep}}`)), 400, 'validation_failed', /^JSON nested deeper than 512 levels$/);
      const { body } = await signUp('deep-user@example.com');
      const token = String(body?.['access_token']);
      authRefusal(await auth('/user', { method: 'PUT', body: `{"data":${deep}}`, headers: { authorization: `Bearer ${token}` } }), 400, 'validation_failed');
      authRefusal(await admin('/admin/users', post(`{"email":"deep-admin@example.com","user_metadata":${deep}}`)), 400, 'validation_failed');
      const id = String((body?.['user'] as Record<string, unknown>)['id']);
      authRefusal(await admin(`/admin/users/${id}`, { method: 'PUT', body: `{"app_metadata":${deep}}` }), 400, 'validation_failed');
    });

    it('answers a body over the limit with 413 request_entity_too_large, in both shapes', async () => {
      const big = JSON.stringify({ email: 'big@example.com', password: 'secret123', data: { a: 'x'.repeat(BODY_LIMIT) } });
      authRefusal(await auth('/signup', post(big)), 413, 'request_entity_too_large', new RegExp(`^Request body is larger than the limit of ${BODY_LIMIT} bytes$`));
      const v2 = await auth('/signup', { ...post(big), headers: { 'x-supabase-api-version': '2024-01-01' } });
      assert.equal(v2.status, 413);
      assert.equal(v2.body?.['code'], 'request_entity_too_large');
      assert.equal(typeof v2.body?.['message'], 'string');
    });

    it('refuses a 3,000-character email at sign-up, and no key overflows the rate-limit index', async () => {
      // Random, so PostgreSQL cannot compress the key below its btree limit.
      const email = `${randomBytes(1500).toString('hex')}@example.com`;
      authRefusal(await auth('/signup', post({ email, password: 'secret123' })), 400, 'validation_failed', /^An email address is too long$/);
      authRefusal(await auth('/token?grant_type=password', post({ email, password: 'secret123' })), 400, 'invalid_credentials');
      authRefusal(await auth('/otp', post({ email })), 400, 'validation_failed');
      authRefusal(await auth('/recover', post({ email })), 400, 'validation_failed');
      authRefusal(await auth('/token?grant_type=password', post({ phone: randomBytes(1500).toString('hex'), password: 'secret123' })), 422, 'phone_provider_disabled');
    });

    it('refuses NUL in bodies and URLs', async () => {
      authRefusal(await auth('/signup', post({ email: 'nul@example.com', password: 'secret\u0000123' })), 400, 'validation_failed', /NUL/);
      authRefusal(await auth('/signup', post({ email: 'nul\u0000@example.com', password: 'secret123' })), 400, 'validation_failed', /NUL/);
      authRefusal(await auth('/signup', post({ email: 'nul@example.com', password: 'secret123', data: { a: '\u0000' } })), 400, 'validation_failed', /NUL/);
      authRefusal(await auth('/verify?type=signup&token=a%00b&redirect_to=http://localhost:3000'), 400, 'validation_failed', /NUL/);
    });

    it('bounds metadata so that every token can still be presented', async () => {
      const fits = { a: 'x'.repeat(8000) };
      const ok = await signUp('roomy@example.com', fits);
      assert.equal(ok.status, 200, ok.text.slice(0, 300));
      const token = String(ok.body?.['access_token']);
      assert.ok(token.length < 12 * 1024, `token of ${token.length} characters`);
      assert.equal((await auth('/user', { headers: { authorization: `Bearer ${token}` } })).status, 200);
      assert.equal((await rest('/films?select=id&limit=1', { headers: { authorization: `Bearer ${token}` } })).status, 200);

      // 20 KB once locked the user out: every request with the token got 431.
      authRefusal(await signUp('crowded@example.com', { a: 'x'.repeat(20_000) }), 400, 'validation_failed', /^user_metadata and app_metadata together may take at most 8192 bytes/);
      // Merged into what is there, the metadata would grow past the limit: refused, nothing kept.
      const grow = await auth('/user', { method: 'PUT', body: JSON.stringify({ data: { b: 'y'.repeat(1000) } }), headers: { authorization: `Bearer ${token}` } });
      authRefusal(grow, 400, 'validation_failed', /8192/);
      const user = await auth('/user', { headers: { authorization: `Bearer ${token}` } });
      assert.deepEqual(Object.keys(user.body?.['user_metadata'] as object).sort(), ['a', 'email_verified']);

      authRefusal(await admin('/admin/users', post({ email: 'crowded-admin@example.com', user_metadata: { a: 'x'.repeat(20_000) } })), 400, 'validation_failed');
      authRefusal(await admin('/admin/users', post({ email: 'crowded-admin@example.com', user_metadata: { a: 'x'.repeat(5000) }, app_metadata: { b: 'y'.repeat(5000) } })), 400, 'validation_failed');
      const id = String((ok.body?.['user'] as Record<string, unknown>)['id']);
      authRefusal(await admin(`/admin/users/${id}`, { method: 'PUT', body: JSON.stringify({ app_metadata: { b: 'y'.repeat(1000) } }) }), 400, 'validation_failed');
      assert.equal((await admin(`/admin/users/${id}`, { method: 'PUT', body: JSON.stringify({ user_metadata: { a: null } }) })).status, 200);
    });
  });
});
