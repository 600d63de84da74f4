import { it } from 'node:test';
import assert from 'node:assert/strict';
import { BodyReader, cstring, int32, T, type Message } from './frames.ts';
import { prefixNames, statementChange } from './names.ts';

const m = (type: number, ...parts: Buffer[]): Message => ({ type, body: Buffer.concat(parts) });
const strings = (msg: Message, n: number, skip = 0) => {
  const r = new BodyReader(msg.body);
  r.bytes(skip);
  return Array.from({ length: n }, () => r.cstring());
};

it('prefixes named statements and portals in every message that names them', () => {
  const params = Buffer.from([0, 1, 0, 0, 0, 25]);
  const parse = prefixNames(m(T.parse, cstring('s0'), cstring('select $1'), params), 'gw7_');
  assert.deepEqual(strings(parse, 2), ['gw7_s0', 'select $1']);
  assert.deepEqual([...parse.body.subarray(-6)], [...params]);
  assert.deepEqual(strings(prefixNames(m(T.bind, cstring('p1'), cstring('s0'), Buffer.from([0, 0, 0, 0, 0, 0])), 'gw7_'), 2), ['gw7_p1', 'gw7_s0']);
  assert.deepEqual(strings(prefixNames(m(T.describe, Buffer.from('S'), cstring('s0')), 'gw7_'), 1, 1), ['gw7_s0']);
  assert.deepEqual(strings(prefixNames(m(T.close, Buffer.from('P'), cstring('p1')), 'gw7_'), 1, 1), ['gw7_p1']);
  const exec = prefixNames(m(T.execute, cstring('p1'), int32(100)), 'gw7_');
  assert.deepEqual(strings(exec, 1), ['gw7_p1']);
  assert.equal(exec.body.readInt32BE(exec.body.length - 4), 100);
});

it('leaves the unnamed statement and portal, and other messages, alone', () => {
  const bind = m(T.bind, cstring(''), cstring(''), Buffer.from([0, 0, 0, 0, 0, 0]));
  assert.deepEqual(prefixNames(bind, 'gw7_').body, bind.body);
  const query = m(T.query, cstring('select 1'));
  assert.equal(prefixNames(query, 'gw7_'), query);
});

it('tells which statement a message creates or closes', () => {
  assert.deepEqual(statementChange(m(T.parse, cstring('gw7_s0'), cstring('select 1'), Buffer.from([0, 0]))), { created: 'gw7_s0' });
  assert.deepEqual(statementChange(m(T.parse, cstring(''), cstring('select 1'), Buffer.from([0, 0]))), {});
  assert.deepEqual(statementChange(m(T.close, Buffer.from('S'), cstring('gw7_s0'))), { dropped: 'gw7_s0' });
  assert.deepEqual(statementChange(m(T.close, Buffer.from('P'), cstring('gw7_p1'))), {});
});
