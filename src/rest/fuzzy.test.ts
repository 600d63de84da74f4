import { it } from 'node:test';
import assert from 'node:assert/strict';
import { closest, levenshtein } from './fuzzy.ts';

const cases: Array<[string, string[], string | undefined]> = [
  ['flims', ['films', 'directors', 'actors'], 'films'],
  ['director', ['films', 'directors'], 'directors'],
  ['helo', ['hello', 'add', 'noop'], 'hello'],
  ['Films', ['films'], 'films'],
  ['x', ['kv', 'films'], undefined],
  ['completely_different', ['films', 'actors'], undefined],
  [
    'polymorphic_function_with_unnamed_integer',
    ['polymorphic_function_with_unnamed_json', 'polymorphic_function_with_unnamed_jsonb', 'polymorphic_function_with_unnamed_text', 'polymorphic_function_with_unnamed_default'],
    'polymorphic_function_with_unnamed_text',
  ],
];
for (const [target, candidates, expected] of cases) it(`suggests ${expected} for ${target}`, () => assert.equal(closest(target, candidates), expected));
it('measures edit distance', () => assert.deepEqual([levenshtein('flims', 'films'), levenshtein('', 'abc'), levenshtein('kitten', 'sitting')], [2, 3, 3]));
