import { it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_ATTEMPTS, retryDelaySeconds } from './claims.ts';

it('backs off 5 s doubling per failed attempt, at most 15 minutes', () => {
  const table: Array<[attempts: number, seconds: number]> = [
    [0, 5],
    [1, 5],
    [2, 10],
    [3, 20],
    [5, 80],
    [8, 640],
    [9, 900],
    [MAX_ATTEMPTS, 900],
    [40, 900],
  ];
  for (const [attempts, seconds] of table) assert.equal(retryDelaySeconds(attempts), seconds, `after attempt ${attempts}`);
});
