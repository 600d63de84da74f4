import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { base32Decode, base32Encode } from '../../lib/base32.ts';
import { hotp, newTotpSecret, otpauthUri, totpAt, totpStep } from './totp.ts';

// RFC 4226 appendix D: the HOTP values of counters 0..9 under the ASCII key "12345678901234567890".
const RFC_KEY = Buffer.from('12345678901234567890');
const RFC_4226 = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];

describe('hotp', () => {
  RFC_4226.forEach((expected, counter) => it(`counter ${counter} → ${expected}`, () => assert.equal(hotp(RFC_KEY, counter), expected)));
});

describe('totpAt (RFC 6238 appendix B, SHA-1, last six of eight digits)', () => {
  const secret = base32Encode(RFC_KEY);
  const cases: Array<[number, string]> = [
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
  ];
  for (const [t, code] of cases) it(`t=${t} → ${code}`, () => assert.equal(totpAt(secret, t), code));
});

it('makes 160-bit secrets', () => assert.equal(base32Decode(newTotpSecret())?.length, 20));

describe('totpStep', () => {
  const secret = 'JBSWY3DPEHPK3PXP'; // fixed, so no two of these steps share a code by chance
  const now = 1_800_000_015;
  const step = Math.floor(now / 30);
  const cases: Array<[string, string, number | undefined]> = [
    ['this step', totpAt(secret, now), step],
    ['the step before', totpAt(secret, now - 30), step - 1],
    ['the step after', totpAt(secret, now + 30), step + 1],
    ['two steps before', totpAt(secret, now - 60), undefined],
    ['not six digits', '12345', undefined],
    ['letters', 'abcdef', undefined],
  ];
  for (const [name, code, expected] of cases) it(`${name} → ${String(expected)}`, () => assert.equal(totpStep(secret, code, now), expected));
});

it('builds the otpauth URI authenticator apps read', () => {
  assert.equal(
    otpauthUri('JBSWY3DPEHPK3PXP', 'localhost:3000', 'a@b.co'),
    'otpauth://totp/localhost%3A3000:a%40b.co?secret=JBSWY3DPEHPK3PXP&issuer=localhost%3A3000&algorithm=SHA1&digits=6&period=30',
  );
});
