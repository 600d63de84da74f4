import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compile, ident, join, quoteLiteral, raw, sql, value } from './sql.ts';

describe('sql builder', () => {
  const cases: Array<{ name: string; q: ReturnType<typeof sql>; text: string; values: unknown[] }> = [
    { name: 'plain text', q: sql`select 1`, text: 'select 1', values: [] },
    { name: 'values become placeholders', q: sql`select ${1}, ${'a'}`, text: 'select $1, $2', values: [1, 'a'] },
    { name: 'undefined is null', q: sql`select ${undefined}`, text: 'select $1', values: [null] },
    { name: 'identifiers are quoted', q: sql`select * from ${ident('public', 'my "t"')}`, text: 'select * from "public"."my ""t"""', values: [] },
    { name: 'nested fragments renumber', q: sql`select ${sql`${1} + ${2}`}, ${3}`, text: 'select $1 + $2, $3', values: [1, 2, 3] },
    { name: 'join', q: join([ident('a'), ident('b'), value(4)]), text: '"a", "b", $1', values: [4] },
    { name: 'raw is trusted text', q: sql`order by x ${raw('desc')}`, text: 'order by x desc', values: [] },
    {
      name: 'an injection attempt stays a value',
      q: sql`select * from t where name = ${"'; drop table t; --"}`,
      text: 'select * from t where name = $1',
      values: ["'; drop table t; --"],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const compiled = compile(c.q);
      assert.equal(compiled.text, c.text);
      assert.deepEqual(compiled.values, c.values);
    });
  }

  it('quotes literals', () => {
    assert.equal(quoteLiteral("it's"), "'it''s'");
  });

  it('refuses NUL in identifiers', () => {
    assert.throws(() => compile(ident('a\u0000b')), /NUL/);
  });
});
