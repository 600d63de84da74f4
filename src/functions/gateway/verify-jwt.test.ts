import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SignJWT } from 'jose';
import { createTokenVerifier } from '../../keys/verify-token.ts';
import { checkJwt } from './verify-jwt.ts';

const secret = 'a-secret-of-at-least-thirty-two-characters!';
const verify = createTokenVerifier(secret);
const sign = (claims: Record<string, unknown>, key = secret, alg = 'HS256') =>
  new SignJWT(claims).setProtectedHeader({ alg }).setExpirationTime('1h').sign(new TextEncoder().encode(key));
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

test('checkJwt answers as the Supabase gateway does, code by code', async () => {
  const good = await sign({ role: 'authenticated', sub: 'u1' });
  const wrongKey = await sign({ role: 'anon' }, 'another-secret-of-at-least-thirty-two-chars');
  const expired = await new SignJWT({ role: 'anon' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(Math.floor(Date.now() / 1000) - 3600).sign(new TextEncoder().encode(secret));
  const cases: ReadonlyArray<[string, string | undefined, string | undefined]> = [
    ['POST', `Bearer ${good}`, undefined],
    ['OPTIONS', undefined, undefined],
    ['POST', undefined, 'UNAUTHORIZED_NO_AUTH_HEADER'],
    ['POST', '', 'UNAUTHORIZED_NO_AUTH_HEADER'],
    ['POST', good, 'UNAUTHORIZED_INVALID_JWT_FORMAT'],
    ['POST', `Basic ${good}`, 'UNAUTHORIZED_INVALID_JWT_FORMAT'],
    ['POST', `Bearer ${good} extra`, 'UNAUTHORIZED_INVALID_JWT_FORMAT'],
    ['POST', 'Bearer sb_publishable_abc', 'UNAUTHORIZED_INVALID_JWT_FORMAT'],
    ['POST', `Bearer ${wrongKey}`, 'UNAUTHORIZED_LEGACY_JWT'],
    ['POST', `Bearer ${expired}`, 'UNAUTHORIZED_LEGACY_JWT'],
    ['POST', `Bearer ${b64({ alg: 'RS256', kid: 'k' })}.${b64({ role: 'anon' })}.c2ln`, 'UNAUTHORIZED_ASYMMETRIC_JWT'],
    ['POST', `Bearer ${b64({ alg: 'none' })}.${b64({ role: 'service_role' })}.`, 'UNAUTHORIZED_UNSUPPORTED_TOKEN_ALGORITHM'],
    ['POST', `Bearer ${b64({ alg: 'HS512' })}.${b64({ role: 'anon' })}.c2ln`, 'UNAUTHORIZED_UNSUPPORTED_TOKEN_ALGORITHM'],
  ];
  for (const [method, header, code] of cases) {
    const got = await checkJwt(method, header, verify);
    assert.equal(got?.code, code, `${method} ${header?.slice(0, 40)}`);
    if (got !== undefined) assert.equal(got.status, 401);
  }
});
