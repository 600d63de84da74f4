import { it } from 'node:test';
import assert from 'node:assert/strict';
import { createSecretKey } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { signHs256, verifyHmac } from './hs256.ts';

const secret = 'hs256-secret-hs256-secret-hs256-secret-01';
const key = createSecretKey(Buffer.from(secret));

it('interoperates with jose both ways', async () => {
  const ours = signHs256({ sub: 'a', role: 'authenticated' }, key);
  const { payload } = await jwtVerify(ours, new TextEncoder().encode(secret));
  assert.deepEqual(payload, { sub: 'a', role: 'authenticated' });
  for (const alg of ['HS256', 'HS384', 'HS512']) {
    const theirs = await new SignJWT({ sub: 'b' }).setProtectedHeader({ alg }).sign(new TextEncoder().encode(secret));
    assert.deepEqual(verifyHmac(theirs, key), { ok: true, payload: { sub: 'b' } }, alg);
  }
});

it('refuses tampering, other algorithms and garbage', () => {
  const token = signHs256({ role: 'anon' }, key);
  const [h, , s] = token.split('.');
  const forged = `${h}.${Buffer.from(JSON.stringify({ role: 'service_role' })).toString('base64url')}.${s}`;
  assert.deepEqual(verifyHmac(forged, key), { ok: false, reason: 'signature' });
  const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.`;
  assert.deepEqual(verifyHmac(none, key), { ok: false, reason: 'algorithm' });
  assert.deepEqual(verifyHmac('a.b.c', key), { ok: false, reason: 'malformed' });
  assert.deepEqual(verifyHmac(`${h}.!!.${s}`, key), { ok: false, reason: 'signature' });
});
