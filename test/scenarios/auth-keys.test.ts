// Asymmetric signing keys from a JWK set file: access tokens are RS256 with the file's kid,
// REST and Auth accept them, the public half is published, and HS256 API keys still work.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keySetFrom, signAsymmetric } from '../../src/keys/key-set.ts';
import { signedInClient, subscribed } from '../support/realtime.ts';
import { dbKind } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { supabase } from '../support/supabase.ts';

const blog = join(import.meta.dirname, '../../examples/blog');
const privateJwk = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
const headerOf = (token: string | undefined) => JSON.parse(Buffer.from((token ?? '').split('.')[0] ?? '', 'base64url').toString()) as Record<string, string>;

describe(`Auth with RS256 signing keys (${dbKind})`, () => {
  let s: TestServer;
  const key = { ...privateJwk(), kid: 'test-key-1', alg: 'RS256' };
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-keys-'));
    writeFileSync(join(dir, 'signing_keys.json'), JSON.stringify([key]));
    s = await startTestServer({ projectDir: blog, env: { GROUNDWORK_AUTH_AUTOCONFIRM: 'true', GROUNDWORK_AUTH_SIGNING_KEYS_PATH: join(dir, 'signing_keys.json') } });
  });
  after(() => s.stop());

  it('publishes the public key at the JWKS endpoint', async () => {
    const res = await fetch(`${s.url}/auth/v1/.well-known/jwks.json`);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=600');
    const { keys } = (await res.json()) as { keys: Array<Record<string, unknown>> };
    assert.equal(keys.length, 1);
    assert.deepEqual([keys[0]?.['kid'], keys[0]?.['alg'], keys[0]?.['kty'], keys[0]?.['n']], ['test-key-1', 'RS256', 'RSA', key.n]);
    assert.equal(keys[0]?.['d'], undefined, 'never the private half');
  });

  it('issues RS256 access tokens that Auth and REST accept', async () => {
    const c = supabase(s.url, s.gw.keys.anon);
    const { data, error } = await c.auth.signUp({ email: 'rs@example.com', password: 'correct horse' });
    assert.equal(error, null);
    assert.deepEqual([headerOf(data.session?.access_token)['alg'], headerOf(data.session?.access_token)['kid']], ['RS256', 'test-key-1']);
    assert.equal((await c.auth.getUser()).data.user?.email, 'rs@example.com');
    const posts = await c.from('posts').select('id').limit(1);
    assert.equal(posts.error, null);
    assert.equal(posts.status, 200);
  });

  it('still accepts the HS256 API keys', async () => {
    assert.equal(headerOf(s.gw.keys.anon)['alg'], 'HS256');
    const r = await supabase(s.url, s.gw.keys.serviceRole).auth.admin.listUsers();
    assert.equal(r.error, null);
  });

  it('joins realtime channels with RS256 session tokens, and refuses one signed by another key', async () => {
    const c = supabase(s.url, s.gw.keys.anon);
    const { data } = await c.auth.signUp({ email: 'rt@example.com', password: 'correct horse' });
    const token = data.session?.access_token ?? assert.fail('no session');
    const member = await signedInClient(s.url, s.gw.keys.anon, '2.0.0', token);
    const impostor = keySetFrom([{ ...privateJwk(), kid: 'test-key-1', alg: 'RS256' }]).signer ?? assert.fail();
    const forged = await signedInClient(s.url, s.gw.keys.anon, '2.0.0', signAsymmetric({ role: 'authenticated', sub: 'x', exp: Math.floor(Date.now() / 1000) + 60 }, impostor));
    try {
      await subscribed(member.channel('rs-room'));
      await assert.rejects(subscribed(forged.channel('rs-room')), /JwtSignatureError/);
    } finally {
      await member.removeAllChannels();
      await forged.removeAllChannels();
    }
  });

  it('refuses a token signed by another key under the same kid: 401 PGRST301', async () => {
    const impostor = keySetFrom([{ ...privateJwk(), kid: 'test-key-1', alg: 'RS256' }]).signer ?? assert.fail();
    const token = signAsymmetric({ role: 'service_role', exp: Math.floor(Date.now() / 1000) + 60 }, impostor);
    const res = await fetch(`${s.url}/rest/v1/posts?select=id`, { headers: { apikey: s.gw.keys.anon, authorization: `Bearer ${token}` } });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { code: string }).code, 'PGRST301');
  });
});
