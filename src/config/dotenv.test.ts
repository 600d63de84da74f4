import { it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDotenv } from './dotenv.ts';

const cases: Array<[string, Record<string, string>]> = [
  ['PORT=1234', { PORT: '1234' }],
  ['  export HOST = 0.0.0.0  ', { HOST: '0.0.0.0' }],
  ['# comment\n\nA=1\nB=2 # trailing', { A: '1', B: '2' }],
  ['S="a b # not a comment"', { S: 'a b # not a comment' }],
  ["S='single $x'", { S: 'single $x' }],
  ['S="line\\nbreak"', { S: 'line\nbreak' }],
  ['URL=postgres://u:p@h:5432/db?sslmode=disable', { URL: 'postgres://u:p@h:5432/db?sslmode=disable' }],
  ['not a pair\nX=', { X: '' }],
  ['A=1\r\nA=2', { A: '2' }],
];
for (const [input, expected] of cases) {
  it(`parses ${JSON.stringify(input)}`, () => assert.deepEqual(parseDotenv(input), expected));
}
