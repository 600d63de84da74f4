import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isBlank, splitStatements } from './split.ts';

const texts = (src: string) => splitStatements(src).map((s) => s.text);

describe('splitStatements', () => {
  const cases: Array<[name: string, src: string, expected: string[]]> = [
    ['two statements', 'select 1; select 2;', ['select 1', 'select 2']],
    ['no trailing semicolon', 'select 1;\nselect 2', ['select 1', 'select 2']],
    ['semicolon in a string', "insert into t values ('a;b'); select 1", ["insert into t values ('a;b')", 'select 1']],
    ['doubled quote', "select 'it''s; fine'; select 2", ["select 'it''s; fine'", 'select 2']],
    ['E string with backslash quote', "select E'a\\';b'; select 2", ["select E'a\\';b'", 'select 2']],
    ['plain string ending in a backslash', "select 'a\\'; select 2", ["select 'a\\'", 'select 2']],
    ['quoted identifier', 'create table "a;b" (x int); select 1', ['create table "a;b" (x int)', 'select 1']],
    [
      'dollar-quoted body',
      'create function f() returns int language sql as $$ select 1; $$; select 2;',
      ['create function f() returns int language sql as $$ select 1; $$', 'select 2'],
    ],
    [
      'tagged dollar body containing $$',
      'do $body$ begin perform $$x;$$; end $body$; select 1',
      ['do $body$ begin perform $$x;$$; end $body$', 'select 1'],
    ],
    ['positional parameter is not a dollar quote', 'prepare p as select $1; select 2', ['prepare p as select $1', 'select 2']],
    ['line comment between statements', 'select 1; -- a; comment\nselect 2;', ['select 1', 'select 2']],
    ['comment inside a statement stays', 'select 1 -- one; really\n + 1;', ['select 1 -- one; really\n + 1']],
    ['nested block comment', 'select /* a /* b; */ c; */ 1; select 2', ['select /* a /* b; */ c; */ 1', 'select 2']],
    ['only comments are dropped', 'select 1;\n-- trailing comment\n/* and this */', ['select 1']],
    [
      'begin atomic body',
      'create function f() returns int language sql begin atomic select 1; select case when true then 2 end; end; select 3',
      ['create function f() returns int language sql begin atomic select 1; select case when true then 2 end; end', 'select 3'],
    ],
    ['empty statements', ';;select 1;;', ['select 1']],
  ];
  for (const [name, src, expected] of cases) it(name, () => assert.deepEqual(texts(src), expected));

  it('reports the line each statement starts on', () => {
    const src = '-- header\n\ncreate table a (id int);\n\n\ninsert into a\n  values (1);\n';
    assert.deepEqual(
      splitStatements(src).map((s) => s.line),
      [3, 6],
    );
  });

  it('isBlank', () => {
    assert.equal(isBlank('  -- x\n /* y */ '), true);
    assert.equal(isBlank(' -- x\n select'), false);
  });
});
