import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { keySetFrom, signAsymmetric, verifyAsymmetric } from './key-set.ts';
import { createTokenVerifier } from './verify-token.ts';
import { signHs256 } from './hs256.ts';
import { createSecretKey, sign } from 'node:crypto';

const rsa = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'rsa-1', alg: 'RS256' };
const ec = { ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }), kid: 'ec-1' };
const secret = 'a-secret-of-at-least-thirty-two-characters';
const claims = { sub: 'u1', role: 'authenticated', exp: Math.floor(Date.now() / 1000) + 60 };

describe('keySetFrom', () => {
  it('takes the first private key as the signer and publishes only public members', () => {
    const set = keySetFrom([rsa, ec]);
    assert.equal(set.signer?.kid, 'rsa-1');
    assert.deepEqual([...set.verifiers.keys()], ['rsa-1', 'ec-1']);
    for (const k of set.published) {
      assert.equal(k['d'], undefined);
      assert.deepEqual([k['use'], k['key_ops']], ['sig', ['verify']]);
    }
    assert.equal(set.published[1]?.['alg'], 'ES256', 'the algorithm is inferred from an EC P-256 key');
  });

  it('accepts the {keys: [...]} form too', () => assert.equal(keySetFrom({ keys: [ec] }).signer?.alg, 'ES256'));

  const bad: Array<[string, unknown]> = [
    ['a non-set', { kty: 'RSA' }],
    ['a key without kid', [{ ...rsa, kid: undefined }]],
    ['an algorithm that does not fit the key', [{ ...rsa, alg: 'ES256' }]],
    ['a symmetric key', [{ kty: 'oct', k: 'abc', kid: 'x' }]],
  ];
  for (const [name, json] of bad) it(`refuses ${name}`, () => assert.throws(() => keySetFrom(json)));
});

describe('asymmetric tokens', () => {
  for (const key of [rsa, ec]) {
    it(`signs and verifies ${key.kid}`, () => {
      const set = keySetFrom([key]);
      const signer = set.signer;
      assert.ok(signer);
      const token = signAsymmetric(claims, signer);
      const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as Record<string, string>;
      assert.deepEqual([header['alg'], header['kid']], [signer.alg, key.kid]);
      assert.equal(verifyAsymmetric(token, signer.alg, key.kid, set), true);
      assert.equal(verifyAsymmetric(token, signer.alg, 'other-kid', set), false);
      const [h, , s] = token.split('.');
      const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, role: 'service_role' })).toString('base64url')}.${s}`;
      assert.equal(verifyAsymmetric(forged, signer.alg, key.kid, set), false);
    });
  }

  it('lets the verifier accept RS256 with the key set and HS256 with the secret', async () => {
    const set = keySetFrom([rsa]);
    const verify = createTokenVerifier(secret, set);
    assert.equal((await verify(signAsymmetric(claims, set.signer ?? assert.fail()))).ok, true);
    assert.equal((await verify(signHs256(claims, createSecretKey(Buffer.from(secret))))).ok, true);
  });

  it("refuses an ES256 token whose 'crit' header names an extension it does not support", async () => {
    const set = keySetFrom([ec]);
    const k = set.signer ?? assert.fail();
    const h = Buffer.from(JSON.stringify({ alg: 'ES256', kid: k.kid, typ: 'JWT', crit: ['https://example.com/must-understand'], 'https://example.com/must-understand': true })).toString('base64url');
    const p = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const sig = sign('sha256', Buffer.from(`${h}.${p}`), { key: k.key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
    const result = await createTokenVerifier(secret, set)(`${h}.${p}.${sig}`);
    assert.deepEqual(result, { ok: false, failure: { kind: 'decode', message: "JWT header 'crit' names an extension this server does not support" } });
  });

  it('refuses RS256 tokens when no key set is configured', async () => {
    const token = signAsymmetric(claims, keySetFrom([rsa]).signer ?? assert.fail());
    const result = await createTokenVerifier(secret)(token);
    assert.deepEqual(result, { ok: false, failure: { kind: 'decode', message: 'Wrong or unsupported encoding algorithm' } });
  });
});
