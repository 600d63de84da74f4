import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPair, SignJWT } from 'jose';
import { deriveApiKeys } from './api-keys.ts';
import { createTokenVerifier } from './verify-token.ts';

const secret = 'test-secret-test-secret-test-secret-0123';
const verify = createTokenVerifier(secret);
const now = () => Math.floor(Date.now() / 1000);
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

function hs(claims: Record<string, unknown>, key = secret, alg = 'HS256') {
  return new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' }).sign(new TextEncoder().encode(key));
}

describe('token verification', () => {
  const cases: Array<{ name: string; token: () => Promise<string> | string; expect: { ok: true } | { kind: string; message: string } }> = [
    { name: 'valid HS256', token: () => hs({ role: 'authenticated', sub: 'u1', exp: now() + 60 }), expect: { ok: true } },
    { name: 'valid HS512', token: () => hs({ role: 'anon' }, secret, 'HS512'), expect: { ok: true } },
    { name: 'expired', token: () => hs({ role: 'anon', exp: now() - 120 }), expect: { kind: 'claims', message: 'JWT expired' } },
    { name: 'not yet valid', token: () => hs({ role: 'anon', nbf: now() + 3600 }), expect: { kind: 'claims', message: 'JWT not yet valid' } },
    { name: 'issued in the future', token: () => hs({ role: 'anon', iat: now() + 3600 }), expect: { kind: 'claims', message: 'JWT issued at future' } },
    { name: 'forged (other secret)', token: () => hs({ role: 'service_role' }, 'another-secret-another-secret-another-1'), expect: { kind: 'decode', message: 'JWT cryptographic operation failed' } },
    { name: 'alg none', token: () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ role: 'service_role' })}.`, expect: { kind: 'decode', message: 'Wrong or unsupported encoding algorithm' } },
    {
      name: 'asymmetric algorithm without a key set',
      token: async () => {
        const { privateKey } = await generateKeyPair('ES256');
        return new SignJWT({ role: 'anon' }).setProtectedHeader({ alg: 'ES256' }).sign(privateKey);
      },
      expect: { kind: 'decode', message: 'Wrong or unsupported encoding algorithm' },
    },
    { name: 'two parts', token: () => 'abc.def', expect: { kind: 'decode', message: 'Expected 3 parts in JWT; got 2' } },
    { name: 'garbage', token: () => 'a.b.c', expect: { kind: 'decode', message: "JWT couldn't be decoded" } },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const r = await verify(await c.token());
      if ('ok' in c.expect) assert.equal(r.ok, true, JSON.stringify(r));
      else assert.deepEqual(r, { ok: false, failure: c.expect });
    });
  }

  it('keeps verified tokens, yet refuses one once it expires', async () => {
    const v = createTokenVerifier(secret);
    const soon = await hs({ role: 'anon', exp: now() - 29 }); // inside the 30 s skew: valid for about a second
    assert.equal((await v(soon)).ok, true);
    assert.equal((await v(soon)).ok, true, 'served from the cache');
    await new Promise((r) => setTimeout(r, 1100));
    assert.deepEqual(await v(soon), { ok: false, failure: { kind: 'claims', message: 'JWT expired' } });
  });

  it('derives stable API keys that verify with their role', async () => {
    const a = await deriveApiKeys(secret);
    const b = await deriveApiKeys(secret);
    assert.deepEqual(a, b);
    const anon = await verify(a.anon);
    const service = await verify(a.serviceRole);
    assert.ok(anon.ok && anon.claims['role'] === 'anon');
    assert.ok(service.ok && service.claims['role'] === 'service_role');
  });
});
