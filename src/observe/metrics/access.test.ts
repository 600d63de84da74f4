import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TokenVerifier } from '../../keys/verify-token.ts';
import { mayReadMetrics, presented, type Headers } from './access.ts';

// Tokens named by their role; anything else fails verification.
const verifyToken: TokenVerifier = async (token) =>
  token.startsWith('jwt:') ? { ok: true, claims: { role: token.slice(4) } } : { ok: false, failure: { kind: 'decode', message: 'bad' } };
const TOKEN = 'scrape-token-0123456789';

describe('/metrics access', () => {
  const cases: ReadonlyArray<readonly [string, Headers, string | undefined, boolean]> = [
    ['the service_role key as apikey', { apikey: 'jwt:service_role' }, undefined, true],
    ['the service_role key as bearer', { authorization: 'Bearer jwt:service_role' }, undefined, true],
    ['a lower-case bearer scheme', { authorization: 'bearer jwt:service_role' }, undefined, true],
    ['the anon key', { apikey: 'jwt:anon', authorization: 'Bearer jwt:anon' }, undefined, false],
    ['a user token', { authorization: 'Bearer jwt:authenticated' }, TOKEN, false],
    ['nothing', {}, TOKEN, false],
    ['an invalid token', { authorization: 'Bearer nonsense' }, undefined, false],
    ['the metrics token as bearer', { authorization: `Bearer ${TOKEN}` }, TOKEN, true],
    ['the metrics token as apikey', { apikey: TOKEN }, TOKEN, true],
    ['a wrong metrics token', { authorization: `Bearer ${TOKEN}x` }, TOKEN, false],
    ['the metrics token when none is set', { authorization: `Bearer ${TOKEN}` }, undefined, false],
    ['an anon bearer beside the service_role apikey', { apikey: 'jwt:service_role', authorization: 'Bearer jwt:anon' }, undefined, true],
    ['Basic credentials', { authorization: 'Basic jwt:service_role' }, undefined, false],
  ];
  for (const [name, headers, token, allowed] of cases) {
    it(`${allowed ? 'serves' : 'refuses'} ${name}`, async () => assert.equal(await mayReadMetrics(headers, { verifyToken, token }), allowed));
  }

  it('reads the bearer token first and a distinct apikey second', () => {
    assert.deepEqual(presented({ authorization: 'Bearer a', apikey: 'b' }), ['a', 'b']);
    assert.deepEqual(presented({ authorization: 'Bearer a', apikey: 'a' }), ['a']);
    assert.deepEqual(presented({ apikey: ' ' }), []);
  });
});
