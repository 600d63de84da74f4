import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newOtp, safeRedirect, sameToken, tokenHash } from './otp.ts';

it('makes 6-digit codes and GoTrue-style hashes', () => {
  for (let i = 0; i < 50; i++) assert.match(newOtp(), /^\d{6}$/);
  assert.equal(tokenHash('a@b.co', '123456'), '4911e82389643aeb3ce581cfa27b1630931b88c0206a90fed98a99cf', 'sha224 hex of email + code');
});

it('lets links lead only to the site or the allow-list', () => {
  const site = 'http://localhost:3000';
  const allow = ['https://app.example.com/**', 'http://localhost:5173/*'];
  const cases: Array<[string | undefined, string]> = [
    [undefined, site],
    ['http://localhost:3000/welcome?x=1', 'http://localhost:3000/welcome?x=1'],
    ['https://app.example.com/a/b', 'https://app.example.com/a/b'],
    ['http://localhost:5173/cb', 'http://localhost:5173/cb'],
    ['http://localhost:5173/a/b', site],
    ['https://evil.example.com/', site],
    ['not a url', site],
  ];
  for (const [requested, expected] of cases) assert.equal(safeRedirect(requested, site, allow), expected, String(requested));
});

describe('sameToken', () => {
  const cases: Array<[string | null, string, boolean]> = [
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'abcd', false],
    [null, 'abc', false],
  ];
  for (const [stored, computed, expected] of cases) it(`${String(stored)} vs ${computed} → ${expected}`, () => assert.equal(sameToken(stored, computed), expected));
});
