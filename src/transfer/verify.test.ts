import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatReport } from './verify.ts';

describe('formatReport', () => {
  it('lines up one row per table and says when every count matches', () => {
    assert.deepEqual(
      formatReport([
        { table: 'auth.users', source: 3, target: 3 },
        { table: 'public.posts', source: 12345, target: 12345 },
      ]),
      ['TABLE         SOURCE  TARGET', 'auth.users         3       3', 'public.posts  12,345  12,345', '', '2 tables, 12,348 rows: every row count matches.'],
    );
  });

  it('marks the tables that differ and counts them', () => {
    const lines = formatReport([
      { table: 'public.a', source: 1, target: 0 },
      { table: 'public.b', source: 2, target: 2 },
    ]);
    assert.equal(lines[1], 'public.a       1       0  differs');
    assert.equal(lines[2], 'public.b       2       2');
    assert.equal(lines.at(-1), '2 tables, 3 rows: 1 table differs.');
  });
});
