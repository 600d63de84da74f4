// Token checks shared by REST and Auth, end to end: a `crit` header naming an extension the
// server does not understand (RFC 7515 §4.1.11), an `aud` of the wrong type, and the
// audience GROUNDWORK_JWT_AUD requires (PostgREST's jwt-aud).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { dbKind, TEST_JWT_SECRET } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { ALICE } from '../support/tokens.ts';

const blog = join(import.meta.dirname, '../../examples/blog');
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
const AUD_TYPE = "The JWT 'aud' claim must be a string or an array of strings";

/** An HS256 token signed with the test secret, with any header (jose will not sign an unknown `crit`). */
function token(claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const input = `${b64({ alg: 'HS256', typ: 'JWT', ...header })}.${b64({ exp: now() + 600, ...claims })}`;
  return `${input}.${createHmac('sha256', TEST_JWT_SECRET).update(input).digest('base64url')}`;
}

describe(`JWT checks (${dbKind})`, () => {
  let s: TestServer;
  const rest = async (jwt: string) => {
    const res = await fetch(`${s.url}/rest/v1/posts?select=id`, { headers: { apikey: s.gw.keys.anon, authorization: `Bearer ${jwt}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, challenge: res.headers.get('www-authenticate') };
  };
  const user = async (jwt: string) => {
    const res = await fetch(`${s.url}/auth/v1/user`, { headers: { apikey: s.gw.keys.anon, authorization: `Bearer ${jwt}`, 'x-supabase-api-version': '2024-01-01' } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  before(async () => {
    s = await startTestServer({ projectDir: blog, env: { GROUNDWORK_AUTH_AUTOCONFIRM: 'true', GROUNDWORK_JWT_AUD: 'authenticated' } });
  });
  after(() => s.stop());

  it('accepts the API keys (no aud) and tokens naming the audience, as a string or in a list', async () => {
    assert.equal((await rest(s.gw.keys.anon)).status, 200);
    assert.equal((await rest(s.gw.keys.serviceRole)).status, 200);
    assert.equal((await rest(token({ sub: ALICE, role: 'authenticated', aud: 'authenticated' }))).status, 200);
    assert.equal((await rest(token({ sub: ALICE, role: 'authenticated', aud: ['other', 'authenticated'] }))).status, 200);
  });

  it('lets a signed-in user use REST and Auth: its access tokens carry the audience', async () => {
    const res = await fetch(`${s.url}/auth/v1/signup`, { method: 'POST', headers: { apikey: s.gw.keys.anon, 'content-type': 'application/json' }, body: JSON.stringify({ email: 'aud@example.com', password: 'correct horse' }) });
    const access = ((await res.json()) as { access_token: string }).access_token;
    assert.equal((await rest(access)).status, 200);
    assert.equal((await user(access)).status, 200);
  });

  const refusals: Array<[string, () => string, string, string]> = [
    ['a token for another audience', () => token({ sub: ALICE, role: 'authenticated', aud: 'other' }), 'PGRST303', 'JWT not in audience'],
    ['a token whose audience list lacks it', () => token({ sub: ALICE, role: 'authenticated', aud: ['a', 'b'] }), 'PGRST303', 'JWT not in audience'],
    ['an aud that is a number', () => token({ sub: ALICE, role: 'authenticated', aud: 7 }), 'PGRST303', AUD_TYPE],
    ['an aud list holding a non-string', () => token({ sub: ALICE, role: 'authenticated', aud: ['authenticated', {}] }), 'PGRST303', AUD_TYPE],
    ['a crit header naming an unknown extension', () => token({ sub: ALICE, role: 'service_role' }, { crit: ['urn:x:must-understand'], 'urn:x:must-understand': true }), 'PGRST301', "JWT header 'crit' names an extension this server does not support"],
  ];
  for (const [name, jwt, code, message] of refusals) {
    it(`refuses ${name}: REST 401 ${code}, Auth 403 bad_jwt`, async () => {
      const r = await rest(jwt());
      assert.deepEqual([r.status, r.body['code'], r.body['message']], [401, code, message]);
      assert.match(r.challenge ?? '', /^Bearer/);
      const a = await user(jwt());
      assert.deepEqual([a.status, a.body], [403, { code: 'bad_jwt', message: `invalid JWT: unable to parse or verify signature, ${message}` }]);
    });
  }
});
