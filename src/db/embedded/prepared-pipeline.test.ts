import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodePipeline, readPipeline, StatementCache, textParams, type ItemResult, type Serializer } from './prepared-pipeline.ts';

describe('textParams', () => {
  const cases: Array<[string, unknown[], Array<string | null> | undefined]> = [
    ['strings pass as they are', ['a', ''], ['a', '']],
    ['null and undefined are NULL', [null, undefined], [null, null]],
    ['numbers, bigints and booleans as PostgreSQL reads them', [1.5, 10n, true, false], ['1.5', '10', 'true', 'false']],
    ['an array depends on its type: PGlite query() takes it', [[1, 2]], undefined],
    ['so does an object', [{ a: 1 }], undefined],
    ['and bytes', [new Uint8Array([1])], undefined],
  ];
  for (const [name, input, expected] of cases) it(name, () => assert.deepEqual(textParams(input), expected));
});

describe('StatementCache', () => {
  it('names a new text, then finds it once confirmed', () => {
    const c = new StatementCache(2);
    const first = c.take('select 1');
    assert.deepEqual(first, { name: 'gw_api_1', parse: true });
    assert.deepEqual(c.take('select 1'), { name: 'gw_api_2', parse: true }, 'not confirmed yet: parsed again under a new name');
    c.add('select 1', first.name);
    assert.deepEqual(c.take('select 1'), { name: 'gw_api_1', parse: false });
  });

  it('evicts the least recently used past its capacity, to be closed with the next message', () => {
    const c = new StatementCache(2);
    c.add('a', 'n1');
    c.add('b', 'n2');
    c.take('a'); // a is now the most recent
    c.add('c', 'n3');
    assert.equal(c.size, 2);
    assert.deepEqual(c.drainEvicted(), ['n2']);
    assert.deepEqual(c.drainEvicted(), []);
    assert.equal(c.take('b').parse, true);
  });

  it('clear forgets every name and closes them all', () => {
    const c = new StatementCache(5);
    c.add('a', 'n1');
    c.add('b', 'n2');
    c.clear();
    assert.equal(c.size, 0);
    assert.deepEqual(c.drainEvicted(), ['n1', 'n2']);
  });
});

// A serializer that writes readable tags, so the message's order can be asserted.
const tags: Serializer = {
  parse: (o) => new TextEncoder().encode(`P:${o.name};`),
  bind: (o) => new TextEncoder().encode(`B:${o.statement}(${o.values.join(',')});`),
  describe: (o) => new TextEncoder().encode(`D:${o.type};`),
  execute: () => new TextEncoder().encode('E;'),
  close: (o) => new TextEncoder().encode(`C:${o.name};`),
  sync: () => new TextEncoder().encode('S;'),
};

describe('encodePipeline', () => {
  it('parses new texts only, closes evicted names first, and ends with one Sync', () => {
    const c = new StatementCache(1);
    c.add('begin', 'n0');
    c.add('old', 'nx'); // evicts n0
    const encoded = encodePipeline(
      [
        { text: 'old', values: [] },
        { text: 'select $1', values: ['x'] },
      ],
      c,
      tags,
    );
    assert.equal(new TextDecoder().decode(encoded.message), 'C:n0;B:nx();D:P;E;P:gw_api_1;B:gw_api_1(x);D:P;E;S;');
    assert.deepEqual(encoded.fresh, [['select $1', 'gw_api_1']]);
    assert.equal(encoded.closes, 1);
  });
});

describe('readPipeline', () => {
  const m = (name: string, extra: Record<string, unknown> = {}) => ({ name, length: 0, ...extra }) as never;
  const resultOf = (messages: Array<{ name: string }>): ItemResult => ({ rows: messages.filter((x) => x.name === 'dataRow').map(() => ({})), rowCount: 0 });

  it('cuts one result per CommandComplete and records what PostgreSQL parsed', () => {
    const c = new StatementCache(10);
    const encoded = { message: new Uint8Array(), fresh: [['select 1', 'gw_api_1'] as const], closes: 0 };
    const read = readPipeline(
      [m('bindComplete'), m('noData'), m('commandComplete'), m('parseComplete'), m('bindComplete'), m('rowDescription'), m('dataRow'), m('dataRow'), m('commandComplete'), m('readyForQuery')],
      encoded,
      c,
      resultOf,
    );
    assert.equal(read.failure, undefined);
    assert.deepEqual(
      read.results.map((r) => r.rows.length),
      [0, 2],
    );
    assert.equal(c.take('select 1').parse, false);
  });

  it('stops at the first error and leaves an unparsed statement out of the cache', () => {
    const c = new StatementCache(10);
    const encoded = { message: new Uint8Array(), fresh: [['select 1/0', 'gw_api_1'] as const, ['select 2', 'gw_api_2'] as const], closes: 0 };
    const error = Object.assign(new Error('division by zero'), { name: 'error', code: '22012' });
    const read = readPipeline([m('parseComplete'), m('bindComplete'), error as never, m('readyForQuery')], encoded, c, resultOf);
    assert.equal(read.failure?.code, '22012');
    assert.deepEqual(read.results, []);
    assert.equal(c.take('select 1/0').parse, false);
    assert.equal(c.take('select 2').parse, true);
  });
});
