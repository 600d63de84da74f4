import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSmsTestOtp } from './sms-test-otp.ts';

describe('parseSmsTestOtp', () => {
  const good: Array<[string, Array<[string, string]>]> = [
    ['1234567890=123456', [['1234567890', '123456']]],
    ['+1 234 567 890=123456', [['1234567890', '123456']]],
    ['4152127777:000000', [['4152127777', '000000']]],
    [' 1234567890 = 123456 , 4915112345678=987654 ', [['1234567890', '123456'], ['4915112345678', '987654']]],
    ['1234567890=111111,1234567890=222222', [['1234567890', '222222']]], // the last one wins
    ['', []],
    [',', []],
  ];
  for (const [text, expected] of good) it(`${JSON.stringify(text)} parses`, () => assert.deepEqual([...parseSmsTestOtp(text)], expected));

  const bad = ['1234567890', '1234567890=', '=123456', 'abc=123456', '0123=123456', '1234567890=12a456', '1234567890=12345678901'];
  for (const text of bad) it(`${JSON.stringify(text)} is refused`, () => assert.throws(() => parseSmsTestOtp(text), /phone=code pairs/));
});
