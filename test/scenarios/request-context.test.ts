// Credentials → role and claims → row-level security, end to end over HTTP, on the blog
// example (2 users; each has one published post and one draft).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { dbKind } from '../support/db.ts';
import { registerProbe } from '../support/probe.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { ALICE, BOB, mintToken } from '../support/tokens.ts';

const blog = join(import.meta.dirname, '../../examples/blog');
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

describe(`request context and RLS (${dbKind})`, () => {
  let s: TestServer;
  const whoami = async (headers: Record<string, string>) => {
    const res = await fetch(`${s.url}/probe/whoami`, { headers: { 'x-probe': 'hello', ...headers } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, challenge: res.headers.get('www-authenticate') };
  };
  before(async () => {
    s = await startTestServer({ projectDir: blog, register: registerProbe });
  });
  after(() => s.stop());

  it('runs a request with no credentials as anon, which sees published posts only', async () => {
    const r = await whoami({});
    assert.deepEqual(r.body, { role: 'anon', login: 'authenticator', uid: null, method: 'GET', path: '/probe/whoami', header: 'hello', posts: 2 });
  });

  it('accepts the anon and service_role keys as supabase-js sends them', async () => {
    const anon = await whoami({ apikey: s.gw.keys.anon, authorization: `Bearer ${s.gw.keys.anon}` });
    assert.equal(anon.body['role'], 'anon');
    const service = await whoami({ apikey: s.gw.keys.serviceRole });
    assert.deepEqual([service.body['role'], service.body['login'], service.body['posts']], ['service_role', 'authenticator', 4], 'service_role bypasses RLS');
  });

  it("runs a signed-in user's request as authenticated with their claims", async () => {
    const token = await mintToken({ sub: ALICE, role: 'authenticated', exp: now() + 3600 });
    const r = await whoami({ apikey: s.gw.keys.anon, authorization: `Bearer ${token}` });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { role: 'authenticated', login: 'authenticator', uid: ALICE, method: 'GET', path: '/probe/whoami', header: 'hello', posts: 3 });
  });

  const refused: Array<[string, () => Promise<Record<string, string>>, string, RegExp]> = [
    ['an expired token', async () => ({ authorization: `Bearer ${await mintToken({ sub: ALICE, role: 'authenticated', exp: now() - 120 })}` }), 'PGRST303', /^JWT expired$/],
    ['a forged token', async () => ({ authorization: `Bearer ${await mintToken({ role: 'service_role' }, 'not-the-secret-not-the-secret-not-the-sec')}` }), 'PGRST301', /cryptographic operation failed/],
    ['alg: none', async () => ({ authorization: `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ role: 'service_role' })}.` }), 'PGRST301', /unsupported encoding algorithm/],
    ['a malformed token', async () => ({ authorization: 'Bearer not-a-jwt' }), 'PGRST301', /Expected 3 parts in JWT; got 1/],
    ['an empty bearer', async () => ({ authorization: 'Bearer ' }), 'PGRST301', /^Empty JWT/],
    ['a role that is no database role', async () => ({ authorization: `Bearer ${await mintToken({ role: 'superhero' })}` }), '22023', /^role "superhero" does not exist$/],
    ['a role the server may not switch to', async () => ({ authorization: `Bearer ${await mintToken({ role: 'postgres' })}` }), '22023', /^role "postgres" does not exist$/],
    ['a bad apikey without a bearer', async () => ({ apikey: 'garbage' }), 'PGRST301', /Expected 3 parts/],
  ];
  for (const [name, headers, code, message] of refused) {
    it(`refuses ${name} with 401`, async () => {
      const r = await whoami(await headers());
      assert.equal(r.status, 401);
      assert.equal(r.body['code'], code);
      assert.match(String(r.body['message']), message);
      assert.match(r.challenge ?? '', /^Bearer/);
    });
  }

  it('lets RLS refuse writes: 403 when signed in, 401 when anonymous', async () => {
    const post = 'aaaaaaaa-0000-4000-8000-000000000001';
    const asAlice = { authorization: `Bearer ${await mintToken({ sub: ALICE, role: 'authenticated' })}`, 'content-type': 'application/json' };
    const own = await fetch(`${s.url}/probe/comment`, { method: 'POST', headers: asAlice, body: JSON.stringify({ post_id: post, author_id: ALICE, body: 'mine' }) });
    assert.equal(own.status, 200);
    const forged = await fetch(`${s.url}/probe/comment`, { method: 'POST', headers: asAlice, body: JSON.stringify({ post_id: post, author_id: BOB, body: 'as bob' }) });
    assert.equal(forged.status, 403);
    assert.deepEqual(await forged.json(), { code: '42501', message: 'new row violates row-level security policy for table "comments"', details: null, hint: null });
    const anon = await fetch(`${s.url}/probe/comment`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ post_id: post, author_id: BOB, body: 'x' }) });
    assert.equal(anon.status, 401);
    assert.equal(anon.headers.get('www-authenticate'), 'Bearer');
  });
});
