import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ParseFailure } from './cursor.ts';
import { parseSelect } from './select.ts';
import type { SelectItem } from './types.ts';

const f = (name: string, extra: Partial<Extract<SelectItem, { kind: 'field' }>> = {}): SelectItem => ({
  kind: 'field',
  field: { name, jsonPath: [] },
  alias: undefined,
  cast: undefined,
  aggregate: undefined,
  ...extra,
});
const e = (name: string, select: SelectItem[], extra: Partial<Extract<SelectItem, { kind: 'embed' }>> = {}): SelectItem => ({
  kind: 'embed',
  name,
  alias: undefined,
  hint: undefined,
  join: undefined,
  spread: false,
  select,
  ...extra,
});
const star: SelectItem = { kind: 'star' };

describe('parseSelect', () => {
  const cases: Array<[string, SelectItem[]]> = [
    ['', [star]],
    ['*', [star]],
    ['id,title', [f('id'), f('title')]],
    [' id , title ', [f('id'), f('title')]],
    ['alias:col', [f('col', { alias: 'alias' })]],
    ['col::text', [f('col', { cast: 'text' })]],
    ['a:col::character varying', [f('col', { alias: 'a', cast: 'character varying' })]],
    ['"my col","a,b":"c.d"', [f('my col'), f('c.d', { alias: 'a,b' })]],
    ['first-name', [f('first-name')]],
    ['data->a->>b', [{ ...f('data'), field: { name: 'data', jsonPath: [{ arrow: '->', key: 'a' }, { arrow: '->>', key: 'b' }] } } as SelectItem]],
    ['data->0->>"x.y"', [{ ...f('data'), field: { name: 'data', jsonPath: [{ arrow: '->', key: 0 }, { arrow: '->>', key: 'x.y' }] } } as SelectItem]],
    ['data->-1', [{ ...f('data'), field: { name: 'data', jsonPath: [{ arrow: '->', key: -1 }] } } as SelectItem]],
    ['data->blood-type', [{ ...f('data'), field: { name: 'data', jsonPath: [{ arrow: '->', key: 'blood-type' }] } } as SelectItem]],
    ['x:data->>age::int', [{ ...f('data', { alias: 'x', cast: 'int' }), field: { name: 'data', jsonPath: [{ arrow: '->>', key: 'age' }] } } as SelectItem]],
    ['amount.sum()', [f('amount', { aggregate: { fn: 'sum', cast: undefined } })]],
    ['total:amount::numeric.avg()::int', [f('amount', { alias: 'total', cast: 'numeric', aggregate: { fn: 'avg', cast: 'int' } })]],
    ['count()', [{ kind: 'count', alias: undefined, cast: undefined }]],
    ['n:count()::text', [{ kind: 'count', alias: 'n', cast: 'text' }]],
    ['count', [f('count')]],
    ['author:profiles(id,username)', [e('profiles', [f('id'), f('username')], { alias: 'author' })]],
    ['profiles(*)', [e('profiles', [star])]],
    ['profiles()', [e('profiles', [])]],
    ['clients!client_id(name)', [e('clients', [f('name')], { hint: 'client_id' })]],
    ['clients!inner(name)', [e('clients', [f('name')], { join: 'inner' })]],
    ['clients!fk!left(name)', [e('clients', [f('name')], { hint: 'fk', join: 'left' })]],
    ['...directors(first:first_name)', [e('directors', [f('first_name', { alias: 'first' })], { spread: true })]],
    ['title,roles(character,films(title))', [f('title'), e('roles', [f('character'), e('films', [f('title')])])]],
    ['projects(count)', [e('projects', [f('count')])]],
  ];
  for (const [input, expected] of cases) it(`parses ${JSON.stringify(input)}`, () => assert.deepEqual(parseSelect(input), expected));

  const bad: Array<[string, number]> = [
    ['id,', 4],
    ['col.', 4],
    ['col.foo()', 4],
    ['rel(id', 7],
    ['a[0]', 2],
    ['col::', 6],
    ['"unterminated', 14],
  ];
  for (const [input, column] of bad) {
    it(`refuses ${JSON.stringify(input)} at column ${column}`, () => {
      assert.throws(
        () => parseSelect(input),
        (err: unknown) => err instanceof ParseFailure && err.message === `failed to parse select parameter (${input})` && err.column === column,
      );
    });
  }
});
