import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { AuthError } from '../errors.ts';
import { flowMethod, parsePkce, verifierMatches } from './pkce.ts';

const verifier = 'a'.repeat(43) + '-._~';
const s256 = createHash('sha256').update(verifier).digest('base64url');

describe('parsePkce', () => {
  const ok: Array<[string, Record<string, unknown>, ReturnType<typeof parsePkce>]> = [
    ['no challenge', {}, undefined],
    ['nulls, as supabase-js sends them', { code_challenge: null, code_challenge_method: null }, undefined],
    ['s256, upper case', { code_challenge: s256, code_challenge_method: 'S256' }, { challenge: s256, method: 's256' }],
    ['plain', { code_challenge: verifier, code_challenge_method: 'plain' }, { challenge: verifier, method: 'plain' }],
  ];
  for (const [name, body, expected] of ok) it(`reads ${name}`, () => assert.deepEqual(parsePkce(body), expected));

  const bad: Array<[string, Record<string, unknown>]> = [
    ['a challenge without a method', { code_challenge: s256 }],
    ['a method without a challenge', { code_challenge_method: 's256' }],
    ['an unknown method', { code_challenge: s256, code_challenge_method: 'md5' }],
    ['a short challenge', { code_challenge: 'abc', code_challenge_method: 'plain' }],
    ['a challenge with spaces', { code_challenge: `${'a'.repeat(43)} b`, code_challenge_method: 'plain' }],
  ];
  for (const [name, body] of bad) {
    it(`refuses ${name} with 400 validation_failed`, () => {
      assert.throws(() => parsePkce(body), (e: unknown) => e instanceof AuthError && e.status === 400 && e.code === 'validation_failed');
    });
  }
});

describe('verifierMatches', () => {
  it('checks s256 and plain challenges', () => {
    assert.equal(verifierMatches({ challenge: s256, method: 's256' }, verifier), true);
    assert.equal(verifierMatches({ challenge: s256, method: 's256' }, `${verifier}x`), false);
    assert.equal(verifierMatches({ challenge: verifier, method: 'plain' }, verifier), true);
    assert.equal(verifierMatches({ challenge: verifier, method: 'plain' }, 'other'), false);
  });
});

describe('flowMethod', () => {
  it('names sign-ups as Supabase Auth does, other types as they are', () => {
    assert.deepEqual(['signup', 'recovery', 'magiclink', 'invite'].map(flowMethod), ['email/signup', 'recovery', 'magiclink', 'invite']);
  });
});
