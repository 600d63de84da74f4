import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ParseFailure } from './cursor.ts';
import { parseFilterValue, parseLogicTree } from './filter.ts';
import { parseNameList, parseOrder } from './order.ts';
import type { FieldRef, OpExpr } from './types.ts';

const col: FieldRef = { name: 'c', jsonPath: [] };
const expr = (value: string) => parseFilterValue(col, value).expr;

describe('filter values', () => {
  const cases: Array<[string, OpExpr]> = [
    ['eq.5', { negated: false, op: 'eq', quantifier: undefined, value: '5' }],
    ['eq.a.b,c', { negated: false, op: 'eq', quantifier: undefined, value: 'a.b,c' }],
    ['eq."x"', { negated: false, op: 'eq', quantifier: undefined, value: '"x"' }],
    ['eq.', { negated: false, op: 'eq', quantifier: undefined, value: '' }],
    ['not.eq.5', { negated: true, op: 'eq', quantifier: undefined, value: '5' }],
    ['neq.x', { negated: false, op: 'neq', quantifier: undefined, value: 'x' }],
    ['like.*ab*', { negated: false, op: 'like', quantifier: undefined, value: '*ab*' }],
    ['like(any).{O*,P*}', { negated: false, op: 'like', quantifier: 'any', value: '{O*,P*}' }],
    ['gt(all).{1,2}', { negated: false, op: 'gt', quantifier: 'all', value: '{1,2}' }],
    ['in.(1,2,3)', { negated: false, op: 'in', values: ['1', '2', '3'] }],
    ['in.(a, b)', { negated: false, op: 'in', values: ['a', ' b'] }],
    ['in.("a,b","c\\"d")', { negated: false, op: 'in', values: ['a,b', 'c"d'] }],
    ['in.()', { negated: false, op: 'in', values: [] }],
    ['not.in.(x)', { negated: true, op: 'in', values: ['x'] }],
    ['is.null', { negated: false, op: 'is', value: 'null' }],
    ['is.NULL', { negated: false, op: 'is', value: 'null' }],
    ['is.not_null', { negated: false, op: 'is', value: 'not_null' }],
    ['not.is.true', { negated: true, op: 'is', value: 'true' }],
    ['isdistinct.5', { negated: false, op: 'isdistinct', quantifier: undefined, value: '5' }],
    ['fts.cat', { negated: false, op: 'fts', language: undefined, value: 'cat' }],
    ['wfts(english).the cat', { negated: false, op: 'wfts', language: 'english', value: 'the cat' }],
    ['cs.{1,2}', { negated: false, op: 'cs', quantifier: undefined, value: '{1,2}' }],
    ['adj.[1,5)', { negated: false, op: 'adj', quantifier: undefined, value: '[1,5)' }],
  ];
  for (const [input, expected] of cases) it(`parses ${JSON.stringify(input)}`, () => assert.deepEqual(expr(input), expected));

  const bad = ['', 'five', 'eq', 'not.five.1', 'is.maybe', 'in.1,2', 'in.(1,2', 'neq(any).x'];
  for (const input of bad) {
    it(`refuses ${JSON.stringify(input)}`, () =>
      assert.throws(() => expr(input), (e: unknown) => e instanceof ParseFailure && e.message === `failed to parse filter (${input})`));
  }
});

describe('logic trees', () => {
  it('parses nested trees with quoting, lists and arrays', () => {
    const t = parseLogicTree('or', false, '(age.lt.18,not.and(age.gte.11,age.lte.17),name.in.(x,"y,z"),tags.cs.{a,b},t.eq."a,b",data->>k.eq.1)');
    assert.deepEqual(t, {
      kind: 'logic',
      op: 'or',
      negated: false,
      children: [
        { kind: 'filter', field: { name: 'age', jsonPath: [] }, expr: { negated: false, op: 'lt', quantifier: undefined, value: '18' } },
        {
          kind: 'logic',
          op: 'and',
          negated: true,
          children: [
            { kind: 'filter', field: { name: 'age', jsonPath: [] }, expr: { negated: false, op: 'gte', quantifier: undefined, value: '11' } },
            { kind: 'filter', field: { name: 'age', jsonPath: [] }, expr: { negated: false, op: 'lte', quantifier: undefined, value: '17' } },
          ],
        },
        { kind: 'filter', field: { name: 'name', jsonPath: [] }, expr: { negated: false, op: 'in', values: ['x', 'y,z'] } },
        { kind: 'filter', field: { name: 'tags', jsonPath: [] }, expr: { negated: false, op: 'cs', quantifier: undefined, value: '{a,b}' } },
        { kind: 'filter', field: { name: 't', jsonPath: [] }, expr: { negated: false, op: 'eq', quantifier: undefined, value: 'a,b' } },
        { kind: 'filter', field: { name: 'data', jsonPath: [{ arrow: '->>', key: 'k' }] }, expr: { negated: false, op: 'eq', quantifier: undefined, value: '1' } },
      ],
    });
  });

  it('parses null-embed filters and negated roots', () => {
    const t = parseLogicTree('and', true, '(actors.not.is.null,  id.eq.1)');
    assert.equal(t.negated, true);
    assert.deepEqual(t.children[0], { kind: 'filter', field: { name: 'actors', jsonPath: [] }, expr: { negated: true, op: 'is', value: 'null' } });
  });

  for (const bad of ['', 'a.eq.1', '(a.eq.1', '(a.eq.1)x', '(a.zz.1)', '()']) {
    it(`refuses ${JSON.stringify(bad)}`, () =>
      assert.throws(() => parseLogicTree('or', false, bad), (e: unknown) => e instanceof ParseFailure && e.message === `failed to parse logic tree (${bad})`));
  }
});

describe('order and name lists', () => {
  it('parses order terms', () => {
    assert.deepEqual(parseOrder('a,b.desc,c.asc.nullsfirst,d.nullslast,data->>x.desc,directors(last_name).desc'), [
      { field: { name: 'a', jsonPath: [] }, relation: undefined, direction: undefined, nulls: undefined },
      { field: { name: 'b', jsonPath: [] }, relation: undefined, direction: 'desc', nulls: undefined },
      { field: { name: 'c', jsonPath: [] }, relation: undefined, direction: 'asc', nulls: 'first' },
      { field: { name: 'd', jsonPath: [] }, relation: undefined, direction: undefined, nulls: 'last' },
      { field: { name: 'data', jsonPath: [{ arrow: '->>', key: 'x' }] }, relation: undefined, direction: 'desc', nulls: undefined },
      { field: { name: 'last_name', jsonPath: [] }, relation: 'directors', direction: 'desc', nulls: undefined },
    ]);
  });
  it('refuses a bad order', () => assert.throws(() => parseOrder('a.up'), (e: unknown) => e instanceof ParseFailure && e.message === 'failed to parse order (a.up)'));
  it('parses columns and on_conflict lists', () => {
    assert.deepEqual(parseNameList('a, b,"c d"', 'columns parameter'), ['a', 'b', 'c d']);
    assert.throws(() => parseNameList('a,', 'columns parameter'), /failed to parse columns parameter/);
  });
});
