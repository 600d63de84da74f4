import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nextTick, parseSchedule, type Schedule } from './schedule.ts';
import { SCHEDULE_EXAMPLES } from './schedule-examples.ts';

const parse = (text: string): Schedule => {
  const s = parseSchedule(text);
  if ('error' in s) throw new Error(s.error);
  return s;
};

/** `count` ticks after `after`, each from the one before; ISO without zero seconds. */
const ticks = (text: string, after: string, count: number): string[] => {
  const s = parse(text);
  const out: string[] = [];
  let at = new Date(after);
  for (let i = 0; i < count; i++) {
    at = nextTick(s, at);
    out.push(at.toISOString().replace(/(:00)?\.000Z$/, 'Z'));
  }
  return out;
};

describe('cron schedules', () => {
  it('accepts exactly the shared examples, normalized as listed', () => {
    for (const ex of SCHEDULE_EXAMPLES) {
      const s = parseSchedule(ex.text);
      if (ex.valid) {
        assert.ok(!('error' in s), `${JSON.stringify(ex.text)} should be valid: ${'error' in s ? s.error : ''}`);
        assert.equal(s.text, ex.normalized ?? ex.text, JSON.stringify(ex.text));
      } else {
        assert.ok('error' in s, `${JSON.stringify(ex.text)} should be invalid`);
      }
    }
  });

  it('says what is wrong', () => {
    const cases: ReadonlyArray<readonly [string, RegExp]> = [
      ['@reboot', /@reboot is not supported/],
      ['60 * * * *', /minute: 60 is out of range 0-59/],
      ['* * * * * *', /found 6 fields/],
      ['* * * xyz *', /month: unknown name "xyz"/],
      ['5-1 * * * *', /range 5-1 goes backwards/],
      ['61 seconds', /1 to 59 seconds/],
      ['0 0 30 2 *', /never fires/],
    ];
    for (const [text, message] of cases) {
      const s = parseSchedule(text);
      assert.ok('error' in s, text);
      assert.match(s.error, message);
    }
  });

  it('gives croner plain number lists, L for $, and AND only when a day field starts with *', () => {
    const cases: ReadonlyArray<readonly [string, string, boolean]> = [
      ['*/20 9-17/4 * jan-mar/2 *', '0,20,40 9,13,17 * 1,3 *', true],
      ['0 12 1,$ * sun,7', '0 12 1,L * 0', false],
      ['0 12 $ * *', '0 12 L * *', true],
      ['0 0 */10 * 5-7', '0 0 1,11,21,31 * 0,5,6', true],
      ['@weekly', '0 0 * * 0', true],
    ];
    for (const [text, pattern, and] of cases) {
      const s = parse(text);
      assert.equal(s.kind, 'cron');
      if (s.kind !== 'cron') continue;
      assert.equal(s.pattern, pattern, text);
      assert.equal(s.cron.options.domAndDow, and, text);
      assert.equal(s.cron.isRunning(), false, 'croner schedules nothing');
    }
  });

  it('computes fire times in UTC', () => {
    const cases: ReadonlyArray<readonly [string, string, readonly string[]]> = [
      ['* * * * *', '2026-03-10T12:00:00.000Z', ['2026-03-10T12:01Z', '2026-03-10T12:02Z']],
      ['* * * * *', '2026-03-10T11:59:59.999Z', ['2026-03-10T12:00Z']],
      ['*/15 * * * *', '2026-03-10T12:07:13.000Z', ['2026-03-10T12:15Z', '2026-03-10T12:30Z', '2026-03-10T12:45Z', '2026-03-10T13:00Z']],
      ['5/20 * * * *', '2026-03-10T12:00:00.000Z', ['2026-03-10T12:05Z', '2026-03-10T12:25Z', '2026-03-10T12:45Z', '2026-03-10T13:05Z']],
      ['0 12 $ * *', '2027-02-01T00:00:00.000Z', ['2027-02-28T12:00Z', '2027-03-31T12:00Z', '2027-04-30T12:00Z']],
      ['0 12 $ 2 *', '2027-03-01T00:00:00.000Z', ['2028-02-29T12:00Z', '2029-02-28T12:00Z']],
      // Both day fields restricted: either matches (the 1st, and Mondays).
      ['0 0 1 * 1', '2026-06-20T00:00:00.000Z', ['2026-06-22T00:00Z', '2026-06-29T00:00Z', '2026-07-01T00:00Z', '2026-07-06T00:00Z']],
      ['0 12 $ * mon', '2027-02-20T00:00:00.000Z', ['2027-02-22T12:00Z', '2027-02-28T12:00Z', '2027-03-01T12:00Z']],
      // Day of month starting with '*': both must match (odd days that are Mondays).
      ['0 0 */2 * 1', '2026-06-01T00:00:00.000Z', ['2026-06-15T00:00Z', '2026-06-29T00:00Z', '2026-07-13T00:00Z']],
      ['0 0 * * 7', '2026-03-01T00:00:00.000Z', ['2026-03-08T00:00Z', '2026-03-15T00:00Z']],
      ['0 0 * * SUN', '2026-03-01T00:00:00.000Z', ['2026-03-08T00:00Z']],
      ['0 9 * jan,dec mon-fri', '2026-12-31T09:00:00.000Z', ['2027-01-01T09:00Z', '2027-01-04T09:00Z']],
      ['0 0 30 1,2 *', '2027-01-31T00:00:00.000Z', ['2028-01-30T00:00Z']],
      ['0 0 1 1 *', '2026-12-31T23:59:59.000Z', ['2027-01-01T00:00Z', '2028-01-01T00:00Z']],
      ['59 23 31 12 *', '2026-12-31T23:59:00.000Z', ['2027-12-31T23:59Z']],
      ['0 0 1 1 *', '1999-12-31T23:59:59.999Z', ['2000-01-01T00:00Z']],
      // 2100 is no leap year.
      ['0 0 29 2 *', '2096-03-01T00:00:00.000Z', ['2104-02-29T00:00Z']],
      ['@yearly', '2026-06-15T10:00:00.000Z', ['2027-01-01T00:00Z']],
      ['@monthly', '2026-12-15T10:00:00.000Z', ['2027-01-01T00:00Z', '2027-02-01T00:00Z']],
      ['@weekly', '2026-03-02T00:00:00.000Z', ['2026-03-08T00:00Z']],
      ['@hourly', '2026-03-02T10:00:00.000Z', ['2026-03-02T11:00Z']],
      ['30 seconds', '2026-03-10T12:00:10.000Z', ['2026-03-10T12:00:30Z', '2026-03-10T12:01Z', '2026-03-10T12:01:30Z']],
      ['30 seconds', '2026-03-10T12:00:30.000Z', ['2026-03-10T12:01Z']],
      // Multiples of 7 s since the epoch, across minute boundaries.
      ['7 seconds', '1970-01-01T00:01:00.000Z', ['1970-01-01T00:01:03Z', '1970-01-01T00:01:10Z']],
      ['1 second', '2026-03-10T12:00:00.500Z', ['2026-03-10T12:00:01Z', '2026-03-10T12:00:02Z']],
    ];
    for (const [text, after, expected] of cases) {
      assert.deepEqual(ticks(text, after, expected.length), expected, `${text} after ${after}`);
    }
  });

  it('is strictly after `after`, whatever its milliseconds', () => {
    const schedules = ['* * * * *', '*/15 * * * *', '0 12 $ * *', '0 0 1 * 1', '30 seconds', '7 seconds', '@daily'].map(parse);
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 300; i++) {
      const after = new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 400 * 86_400_000));
      for (const s of schedules) {
        const next = nextTick(s, after);
        assert.ok(next > after, `${s.text} after ${after.toISOString()} gave ${next.toISOString()}`);
        assert.equal(next.getTime() % 1000, 0);
      }
    }
    const s = parse('*/15 * * * *');
    const at = new Date('2026-03-10T12:15:00.000Z');
    assert.equal(nextTick(s, at).toISOString(), '2026-03-10T12:30:00.000Z');
  });
});
