import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { e164, formatPhone } from './phone.ts';

describe('formatPhone', () => {
  const cases: Array<[string, string]> = [
    ['+1 234 567 890', '1234567890'],
    ['1234567890', '1234567890'],
    ['++44 20', '+4420'], // only one leading + goes
    ['44\t20 79', '442079'],
    ['(555) 1234', '(555)1234'], // no validation here
    ['', ''],
  ];
  for (const [input, expected] of cases) it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => assert.equal(formatPhone(input), expected));
});

describe('e164', () => {
  const cases: Array<[unknown, string | undefined]> = [
    ['+1234567890', '1234567890'],
    ['1234567890', '1234567890'],
    ['+44 20 7946 0958', '442079460958'],
    ['12', '12'],
    ['1', undefined], // two digits at least
    ['123456789012345', '123456789012345'],
    ['1234567890123456', undefined], // sixteen digits
    ['0123456789', undefined], // no country code starts with 0
    ['+1 (234) 567-890', undefined], // brackets and dashes are not stripped, as in Supabase Auth
    ['++1234567890', undefined],
    ['abc', undefined],
    ['', undefined],
    [1234567890, undefined],
    [undefined, undefined],
    [null, undefined],
  ];
  for (const [input, expected] of cases) it(`${JSON.stringify(input)} → ${String(expected)}`, () => assert.equal(e164(input), expected));
});
