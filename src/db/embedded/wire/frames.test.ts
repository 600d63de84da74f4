import { it } from 'node:test';
import assert from 'node:assert/strict';
import { BodyReader, cstring, errorResponse, int32, message, MessageReader, ProtocolError, readyForQuery, T } from './frames.ts';

it('hands out whole messages however the bytes were cut', () => {
  const bytes = Buffer.concat([message(T.query, cstring('select 1')), message(T.sync), message(T.parse, cstring('s1'), cstring('select $1'), Buffer.from([0, 0]))]);
  for (const cut of [1, 3, 5, 7, bytes.length]) {
    const r = new MessageReader();
    const seen: string[] = [];
    for (let at = 0; at < bytes.length; at += cut) {
      r.push(bytes.subarray(at, at + cut));
      for (let m = r.next(); m !== undefined; m = r.next()) seen.push(`${String.fromCharCode(m.type)}:${m.body.length}`);
    }
    assert.deepEqual(seen, ['Q:9', 'S:0', 'P:15'], `chunks of ${cut}`);
    assert.equal(r.buffered, 0);
  }
});

it('reads a start-up packet, then typed messages from the same stream', () => {
  const startup = Buffer.concat([int32(0), int32(196608), cstring('user'), cstring('postgres'), Buffer.from([0])]);
  startup.writeInt32BE(startup.length, 0);
  const r = new MessageReader();
  r.push(Buffer.concat([startup, message(T.password, Buffer.from('x'))]));
  const body = r.nextStartup();
  assert.ok(body);
  assert.equal(new BodyReader(body).int32(), 196608);
  assert.equal(r.next()?.type, T.password);
});

it('refuses lengths PostgreSQL refuses', () => {
  const r = new MessageReader(100);
  r.push(Buffer.from([T.query, 0, 0, 1, 0]));
  assert.throws(() => r.next(), ProtocolError);
  const s = new MessageReader();
  s.push(int32(3));
  assert.throws(() => s.nextStartup(), ProtocolError);
  const big = new MessageReader();
  big.push(int32(20000));
  assert.throws(() => big.nextStartup(), ProtocolError);
});

it('builds ErrorResponse with severity, code, message and the optional fields', () => {
  const bytes = errorResponse({ severity: 'FATAL', code: '28P01', message: 'no', detail: 'why' });
  assert.equal(bytes[0], 0x45);
  assert.equal(bytes.readInt32BE(1), bytes.length - 1);
  assert.equal(bytes.subarray(5).toString('latin1'), 'SFATAL\0VFATAL\0C28P01\0Mno\0Dwhy\0\0');
  assert.deepEqual([...readyForQuery('T')], [0x5a, 0, 0, 0, 5, 0x54]);
});
