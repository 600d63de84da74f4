import { it } from 'node:test';
import assert from 'node:assert/strict';
import { closest, editDistance } from './fuzzy.ts';

const cases: Array<[string, string[], string | undefined]> = [
  ['flims', ['films', 'directors', 'actors'], 'films'],
  ['director', ['films', 'directors'], 'directors'],
  ['helo', ['hello', 'add', 'noop'], 'hello'],
  ['Films', ['films'], 'films'],
  ['x', ['kv', 'films'], undefined],
  ['completely_different', ['films', 'actors'], undefined],
];
for (const [target, candidates, expected] of cases) it(`suggests ${expected} for ${target}`, () => assert.equal(closest(target, candidates), expected));
it('counts a transposition as one edit', () => assert.equal(editDistance('flims', 'films'), 1));
