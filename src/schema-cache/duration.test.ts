import { it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDurationMs } from './duration.ts';

it('reads statement_timeout values as PostgreSQL writes them', () => {
  const cases: Array<[string, number | undefined]> = [
    ['3s', 3000],
    ['8s', 8000],
    ['1500', 1500],
    ['250ms', 250],
    ['2min', 120_000],
    ['1h', 3_600_000],
    ['1.5s', 1500],
    ['0', undefined],
    ['', undefined],
    ['soon', undefined],
    ['3 weeks', undefined],
  ];
  for (const [text, ms] of cases) assert.equal(parseDurationMs(text), ms, text);
});
