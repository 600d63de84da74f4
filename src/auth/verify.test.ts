import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { e164 } from './verify.ts';

describe('e164', () => {
  const cases: Array<[unknown, string | undefined]> = [
    ['+1 (555) 123-4567', '15551234567'],
    ['447700900123', '447700900123'],
    ['0123', undefined],
    ['+1', undefined],
    ['12345678901234567', undefined],
    ['not a phone', undefined],
    [undefined, undefined],
  ];
  for (const [input, expected] of cases) it(`reads ${JSON.stringify(input)} as ${String(expected)}`, () => assert.equal(e164(input), expected));
});
