import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { base32Decode, base32Encode } from './base32.ts';

// RFC 4648 section 10's test vectors, unpadded.
describe('base32', () => {
  const cases: Array<[string, string]> = [
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ];
  for (const [plain, encoded] of cases) {
    it(`${JSON.stringify(plain)} ↔ ${encoded}`, () => {
      assert.equal(base32Encode(Buffer.from(plain)), encoded);
      assert.equal(base32Decode(encoded)?.toString(), plain);
      assert.equal(base32Decode(encoded.toLowerCase() + '==')?.toString(), plain, 'case and padding ignored');
    });
  }
  it('refuses characters outside the alphabet', () => assert.equal(base32Decode('MZ1W'), undefined));
});
