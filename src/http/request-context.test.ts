import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { ApiError } from '../errors/api-error.ts';
import { createTokenVerifier } from '../keys/verify-token.ts';
import { resolveCaller, type HeaderBag } from './request-context.ts';

const secret = 'ctx-secret-ctx-secret-ctx-secret-012345';
const deps = { verify: createTokenVerifier(secret), roles: new Set(['anon', 'authenticated', 'service_role']), anonRole: 'anon' };
const token = (claims: Record<string, unknown>) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));

type Expect = { role: string; authenticated: boolean; sub?: string } | { status: number; code: string; message: RegExp };

describe('resolveCaller', () => {
  const cases: Array<{ name: string; headers: () => Promise<HeaderBag>; expect: Expect }> = [
    { name: 'no credentials is anon', headers: async () => ({}), expect: { role: 'anon', authenticated: false } },
    { name: 'bearer token with a role', headers: async () => ({ authorization: `Bearer ${await token({ role: 'authenticated', sub: 'u1' })}` }), expect: { role: 'authenticated', authenticated: true, sub: 'u1' } },
    { name: 'apikey alone is used as the token', headers: async () => ({ apikey: await token({ role: 'service_role' }) }), expect: { role: 'service_role', authenticated: true } },
    {
      name: 'bearer wins over apikey',
      headers: async () => ({ apikey: await token({ role: 'anon' }), authorization: `bearer ${await token({ role: 'authenticated', sub: 'u2' })}` }),
      expect: { role: 'authenticated', authenticated: true, sub: 'u2' },
    },
    { name: 'token without role claim is anon', headers: async () => ({ authorization: `Bearer ${await token({ sub: 'x' })}` }), expect: { role: 'anon', authenticated: false } },
    { name: 'empty bearer', headers: async () => ({ authorization: 'Bearer ' }), expect: { status: 401, code: 'PGRST301', message: /^Empty JWT/ } },
    { name: 'another scheme is ignored, as PostgREST does', headers: async () => ({ authorization: 'Basic dXNlcjpwYXNz' }), expect: { role: 'anon', authenticated: false } },
    { name: 'a bare "Bearer" is an empty token', headers: async () => ({ authorization: 'Bearer' }), expect: { status: 401, code: 'PGRST301', message: /^Empty JWT/ } },
    { name: '"Bearerx" is not the Bearer scheme', headers: async () => ({ authorization: 'Bearerx abc' }), expect: { role: 'anon', authenticated: false } },
    { name: 'forged token', headers: async () => ({ authorization: 'Bearer a.b.c' }), expect: { status: 401, code: 'PGRST301', message: /decoded/ } },
    {
      name: 'expired token',
      headers: async () => ({ authorization: `Bearer ${await token({ role: 'authenticated', exp: Math.floor(Date.now() / 1000) - 100 })}` }),
      expect: { status: 401, code: 'PGRST303', message: /^JWT expired$/ },
    },
    { name: 'unknown role', headers: async () => ({ authorization: `Bearer ${await token({ role: 'postgres' })}` }), expect: { status: 401, code: '22023', message: /^role "postgres" does not exist$/ } },
    { name: 'non-string role', headers: async () => ({ authorization: `Bearer ${await token({ role: ['anon'] })}` }), expect: { status: 401, code: '22023', message: /\["anon"\]/ } },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const request = { method: 'GET', path: '/todos', headers: await c.headers() };
      if ('status' in c.expect) {
        const e = await resolveCaller(request, deps).then(
          () => assert.fail('expected a 401'),
          (err: unknown) => err,
        );
        assert.ok(e instanceof ApiError);
        assert.equal(e.status, c.expect.status);
        assert.equal(e.body.code, c.expect.code);
        assert.match(e.body.message, c.expect.message);
        assert.match(e.headers['www-authenticate'] ?? '', /^Bearer/);
      } else {
        const r = await resolveCaller(request, deps);
        assert.equal(r.caller.role, c.expect.role);
        assert.equal(r.authenticated, c.expect.authenticated);
        if (c.expect.sub !== undefined) assert.equal(r.caller.claims['sub'], c.expect.sub);
        assert.equal(r.caller.method, 'GET');
        assert.equal(r.caller.path, '/todos');
      }
    });
  }

  it('passes every header but cookies, lower-cased and flattened; cookies apart', async () => {
    const r = await resolveCaller({ method: 'POST', path: '/x', headers: { 'X-Client-Info': 'supabase-js/2', 'x-multi': ['a', 'b'], cookie: 'a=1; b=x%20y; junk' } }, deps);
    assert.deepEqual(r.caller.headers, { 'x-client-info': 'supabase-js/2', 'x-multi': 'a, b' });
    assert.deepEqual(r.caller.cookies, { a: '1', b: 'x y' });
  });

  it('puts the resolved role into the claims', async () => {
    const r = await resolveCaller({ method: 'GET', path: '/', headers: { authorization: `Bearer ${await token({ sub: 'x' })}` } }, deps);
    assert.deepEqual(r.caller.claims, { sub: 'x', role: 'anon' });
  });
});
