import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
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

/** A correctly signed HS256 token with any header (jose refuses to sign a `crit` it does not know). */
function hsWithHeader(header: Record<string, unknown>, claims: Record<string, unknown>, key = secret): string {
  const signingInput = `${b64({ alg: 'HS256', typ: 'JWT', ...header })}.${b64(claims)}`;
  return `${signingInput}.${createHmac('sha256', key).update(signingInput).digest('base64url')}`;
}

const CRIT = "JWT header 'crit' names an extension this server does not support";
const AUD_TYPE = "The JWT 'aud' claim must be a string or an array of strings";

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
    // RFC 7515 §4.1.11: a `crit` extension the recipient does not understand makes the JWS invalid (none is understood here).
    { name: 'crit naming an unknown extension', token: () => hsWithHeader({ crit: ['exp-ext'], 'exp-ext': 1 }, { role: 'anon' }), expect: { kind: 'decode', message: CRIT } },
    { name: 'crit naming a registered header', token: () => hsWithHeader({ crit: ['alg'] }, { role: 'anon' }), expect: { kind: 'decode', message: CRIT } },
    { name: 'crit empty', token: () => hsWithHeader({ crit: [] }, { role: 'anon' }), expect: { kind: 'decode', message: CRIT } },
    { name: 'crit not a list', token: () => hsWithHeader({ crit: 'b64' }, { role: 'anon' }), expect: { kind: 'decode', message: CRIT } },
    { name: 'crit null', token: () => hsWithHeader({ crit: null }, { role: 'anon' }), expect: { kind: 'decode', message: CRIT } },
    { name: 'a forged token with crit is still a bad signature', token: () => hsWithHeader({ crit: ['x'], x: 1 }, { role: 'anon' }, 'another-secret-another-secret-another-1'), expect: { kind: 'decode', message: 'JWT cryptographic operation failed' } },
    // PostgREST type-checks a present `aud` whether or not jwt-aud is configured.
    { name: 'aud a number', token: () => hs({ role: 'anon', aud: 42 }), expect: { kind: 'claims', message: AUD_TYPE } },
    { name: 'aud an object', token: () => hs({ role: 'anon', aud: { a: 'b' } }), expect: { kind: 'claims', message: AUD_TYPE } },
    { name: 'aud a list with a non-string', token: () => hs({ role: 'anon', aud: ['authenticated', 4] }), expect: { kind: 'claims', message: AUD_TYPE } },
    { name: 'aud a boolean', token: () => hs({ role: 'anon', aud: true }), expect: { kind: 'claims', message: AUD_TYPE } },
    { name: 'aud a string (no audience configured)', token: () => hs({ role: 'anon', aud: 'anything' }), expect: { ok: true } },
    { name: 'aud a list of strings (no audience configured)', token: () => hs({ role: 'anon', aud: ['a', 'b'] }), expect: { ok: true } },
    { name: 'aud null', token: () => hs({ role: 'anon', aud: null }), expect: { ok: true } },
    // PostgREST reads the time claims with `.:?`: null is as good as absent.
    { name: 'exp null', token: () => hs({ role: 'anon', exp: null }), expect: { ok: true } },
    { name: 'exp a string', token: () => hs({ role: 'anon', exp: 'soon' }), expect: { kind: 'claims', message: "The JWT 'exp' claim must be a number" } },
    // Claims are checked in PostgREST's order (exp, nbf, iat, aud): the first failure is reported.
    { name: 'expired and a bad aud: expiry first', token: () => hs({ role: 'anon', exp: now() - 120, aud: 3 }), expect: { kind: 'claims', message: 'JWT expired' } },
    { name: 'expired and a bad nbf: expiry first', token: () => hs({ role: 'anon', exp: now() - 120, nbf: 'x' }), expect: { kind: 'claims', message: 'JWT expired' } },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const r = await verify(await c.token());
      if ('ok' in c.expect) assert.equal(r.ok, true, JSON.stringify(r));
      else assert.deepEqual(r, { ok: false, failure: c.expect });
    });
  }

  it('checks a configured audience as PostgREST does (jwt-aud)', async () => {
    const v = createTokenVerifier(secret, undefined, { audience: 'my-app' });
    const check = async (claims: Record<string, unknown>) => v(await hs({ role: 'anon', ...claims }));
    for (const aud of ['my-app', ['other', 'my-app'], [], null, undefined]) {
      assert.equal((await check(aud === undefined ? {} : { aud })).ok, true, `aud ${JSON.stringify(aud)} is accepted`);
    }
    for (const aud of ['other', ['other', 'another'], 'MY-APP', '']) {
      assert.deepEqual(await check({ aud }), { ok: false, failure: { kind: 'claims', message: 'JWT not in audience' } }, `aud ${JSON.stringify(aud)}`);
    }
    assert.deepEqual(await check({ aud: 7 }), { ok: false, failure: { kind: 'claims', message: AUD_TYPE } });
  });

  it('does not let the cache bypass the audience check', async () => {
    const v = createTokenVerifier(secret, undefined, { audience: 'my-app' });
    const token = await hs({ role: 'anon', aud: 'other' });
    assert.equal((await v(token)).ok, false);
    assert.equal((await v(token)).ok, false);
  });

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
