// The codec against realtime-js's own serializer as the oracle: what the client encodes we
// decode, and what we encode the client decodes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Serializer from '@supabase/realtime-js/dist/main/lib/serializer.js';
import { decode, encodeBinaryBroadcast, encodeFanout, encodeFrame, type Decoded } from './frames.ts';

const client = new (Serializer as unknown as { default: new () => ClientSerializer }).default();

interface ClientSerializer {
  encode(msg: Record<string, unknown>, cb: (out: string | ArrayBuffer) => unknown): unknown;
  decode(raw: string | ArrayBuffer, cb: (msg: Record<string, unknown>) => unknown): unknown;
}

function clientEncode(msg: Record<string, unknown>): { data: Buffer; binary: boolean } {
  let out: string | ArrayBuffer = '';
  client.encode(msg, (x) => (out = x));
  return typeof out === 'string' ? { data: Buffer.from(out), binary: false } : { data: Buffer.from(out), binary: true };
}

function clientDecode(raw: string | Buffer): Record<string, unknown> {
  let out: Record<string, unknown> = {};
  const input = typeof raw === 'string' ? raw : raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength);
  client.decode(input as string | ArrayBuffer, (m) => (out = m));
  return out;
}

const ok = (d: Decoded): Extract<Decoded, { ok: true }>['message'] => {
  assert.ok(d.ok, d.ok ? '' : d.reason);
  return d.message;
};

describe('realtime frames', () => {
  it('decodes a v2 heartbeat and a join as realtime-js writes them', () => {
    const hb = clientEncode({ join_ref: null, ref: '26', topic: 'phoenix', event: 'heartbeat', payload: {} });
    assert.deepEqual(ok(decode('2.0.0', hb.data, hb.binary)), { type: 'frame', frame: { joinRef: null, ref: '26', topic: 'phoenix', event: 'heartbeat', payload: {} } });
    const join = clientEncode({ join_ref: '1', ref: '1', topic: 'realtime:room', event: 'phx_join', payload: { config: { private: false } } });
    const m = ok(decode('2.0.0', join.data, join.binary));
    assert.equal(m.type, 'frame');
    if (m.type === 'frame') assert.deepEqual(m.frame.payload, { config: { private: false } });
  });

  it('decodes kind-3 broadcasts, JSON and binary', () => {
    const json = clientEncode({ join_ref: '3', ref: '7', topic: 'realtime:room', event: 'broadcast', payload: { type: 'broadcast', event: 'cursor', payload: { x: 1 } } });
    assert.equal(json.binary, true);
    assert.deepEqual(ok(decode('2.0.0', json.data, true)), {
      type: 'broadcast',
      broadcast: { joinRef: '3', ref: '7', topic: 'realtime:room', event: 'cursor', metadata: null, body: { kind: 'json', value: { x: 1 } } },
    });
    const bytes = new Uint8Array([1, 2, 255]).buffer;
    const bin = clientEncode({ join_ref: '3', ref: '8', topic: 'realtime:room', event: 'broadcast', payload: { type: 'broadcast', event: 'blob', payload: bytes } });
    const m = ok(decode('2.0.0', bin.data, true));
    assert.equal(m.type, 'broadcast');
    if (m.type === 'broadcast') assert.deepEqual(m.broadcast.body, { kind: 'binary', bytes: new Uint8Array([1, 2, 255]) });
  });

  it('decodes v1 objects and tolerates numeric refs', () => {
    const m = ok(decode('1.0.0', Buffer.from('{"topic":"realtime:a","event":"phx_leave","payload":{},"ref":5,"join_ref":"4"}'), false));
    assert.deepEqual(m, { type: 'frame', frame: { joinRef: '4', ref: '5', topic: 'realtime:a', event: 'phx_leave', payload: {} } });
  });

  const bad: Array<[string, '1.0.0' | '2.0.0', Buffer, boolean]> = [
    ['not JSON', '2.0.0', Buffer.from('[1,'), false],
    ['an object on v2', '2.0.0', Buffer.from('{"topic":"a"}'), false],
    ['an array on v1', '1.0.0', Buffer.from('[null,"1","a","b",{}]'), false],
    ['a short array', '2.0.0', Buffer.from('[null,"1","a"]'), false],
    ['a payload that is not an object', '2.0.0', Buffer.from('[null,"1","a","b",[]]'), false],
    ['a numeric topic', '2.0.0', Buffer.from('[null,"1",5,"b",{}]'), false],
    ['binary on v1', '1.0.0', Buffer.from([3, 0, 0, 0, 0, 0, 1]), true],
    ['an unknown binary kind', '2.0.0', Buffer.from([0, 0, 0, 0, 0, 0, 1]), true],
    ['a truncated binary header', '2.0.0', Buffer.from([3, 9, 0, 0, 0, 0, 1, 65]), true],
    ['bad binary JSON', '2.0.0', Buffer.from([3, 0, 0, 1, 1, 0, 1, 97, 98, 123]), true],
    ['an unknown encoding', '2.0.0', Buffer.from([3, 0, 0, 1, 1, 0, 9, 97, 98]), true],
  ];
  for (const [name, vsn, data, binary] of bad) {
    it(`refuses ${name}`, () => assert.equal(decode(vsn, data, binary).ok, false));
  }

  it('encodes text frames the client reads, v1 without join_ref', () => {
    const f = { joinRef: '1', ref: '2', topic: 'realtime:a', event: 'phx_reply', payload: { status: 'ok', response: {} } };
    assert.deepEqual(clientDecode(encodeFrame('2.0.0', f)), { join_ref: '1', ref: '2', topic: 'realtime:a', event: 'phx_reply', payload: f.payload });
    assert.deepEqual(JSON.parse(encodeFrame('1.0.0', f)), { topic: 'realtime:a', event: 'phx_reply', payload: f.payload, ref: '2' });
  });

  it('encodes fan-out frames around a payload already in JSON, as encodeFrame would', () => {
    const payload = { ids: [1], data: { type: 'INSERT' } };
    for (const vsn of ['1.0.0', '2.0.0'] as const) {
      assert.deepEqual(JSON.parse(encodeFanout(vsn, 'realtime:a"b', 'postgres_changes', JSON.stringify(payload))), JSON.parse(encodeFrame(vsn, { joinRef: null, ref: null, topic: 'realtime:a"b', event: 'postgres_changes', payload })));
    }
  });

  it('encodes kind-4 broadcasts the client reads', () => {
    const json = encodeBinaryBroadcast('realtime:a', 'cursor', { id: 'x' }, { kind: 'json', value: { x: 1 } });
    assert.ok(json);
    assert.deepEqual(clientDecode(json), { join_ref: null, ref: null, topic: 'realtime:a', event: 'broadcast', payload: { type: 'broadcast', event: 'cursor', payload: { x: 1 }, meta: { id: 'x' } } });
    const bin = encodeBinaryBroadcast('realtime:a', 'blob', null, { kind: 'binary', bytes: new Uint8Array([7, 8]) });
    assert.ok(bin);
    const decoded = clientDecode(bin);
    const payload = decoded['payload'] as { payload: ArrayBuffer };
    assert.deepEqual(new Uint8Array(payload.payload), new Uint8Array([7, 8]));
    assert.equal(encodeBinaryBroadcast('x'.repeat(256), 'e', null, { kind: 'json', value: {} }), undefined);
  });
});
