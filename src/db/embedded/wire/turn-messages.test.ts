import { it } from 'node:test';
import assert from 'node:assert/strict';
import { compile } from '../../../lib/sql.ts';
import { cstring, int32, T, type Message } from './frames.ts';
import { COPY_GUARD, forwardBatch, listeningFixes } from './turn-messages.ts';

const msg = (type: number, ...parts: Buffer[]): Message => ({ type, body: Buffer.concat(parts) });

it('tells the statements made, counts the ReadyForQuery answers to expect, and ends with the COPY guard', () => {
  const b = forwardBatch([msg(T.parse, cstring('gw3_s0'), cstring('select 1'), Buffer.from([0, 0])), msg(T.bind, cstring(''), cstring('gw3_s0'), Buffer.from([0, 0, 0, 0, 0, 0])), msg(T.execute, cstring(''), int32(0)), msg(T.sync), msg(T.query, cstring('begin'))]);
  assert.deepEqual(b.created, ['gw3_s0']);
  assert.equal(b.completes, 2);
  assert.equal(b.extended, false);
  assert.ok(b.bytes.includes(Buffer.from('gw3_s0\0')));
  assert.deepEqual(b.bytes.subarray(-COPY_GUARD.length), COPY_GUARD);
  assert.equal(forwardBatch([msg(T.sync), msg(T.parse, cstring(''), cstring('select 1'), Buffer.from([0, 0]))]).extended, true);
  assert.equal(forwardBatch([msg(T.copyData, Buffer.from('1\n'))]).extended, undefined);
  assert.deepEqual(forwardBatch([msg(T.close, Buffer.from('S'), cstring('gw3_s0'))]).dropped, ['gw3_s0']);
});

it("brings the session's channels back to the API's", () => {
  const fixes = listeningFixes(['pgrst', 'mine'], new Set(['pgrst', 'groundwork_outbox'])).map((q) => compile(q).text);
  assert.deepEqual(fixes, ['unlisten "mine"', 'listen "groundwork_outbox"']);
  assert.deepEqual(listeningFixes(['pgrst'], new Set(['pgrst'])), []);
});
