import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEnvelope, encodeEnvelope, type Envelope } from './envelope.ts';

describe('realtime bus envelopes', () => {
  it('round-trips JSON and binary broadcasts, without the local sender', () => {
    for (const body of [{ kind: 'json', value: { a: [1, 'x'] } } as const, { kind: 'binary', bytes: new Uint8Array([0, 255, 7]) } as const]) {
      const text = encodeEnvelope({ node: 'n1', body: { kind: 'broadcast', message: { name: 'room', private: true, event: 'e', body, meta: { id: 'i' }, binary: body.kind === 'binary', senderUid: 4 } } });
      assert.deepEqual(decodeEnvelope(text), { node: 'n1', body: { kind: 'broadcast', message: { name: 'room', private: true, event: 'e', body, meta: { id: 'i' }, binary: body.kind === 'binary' } } });
    }
  });

  it('round-trips presence and liveness messages', () => {
    const e: Envelope = { node: 'n2', body: { kind: 'presence', stream: 'public:r', owner: 'n2:1', diff: { joins: { k: { metas: [{ phx_ref: 'r1', a: 1 }] } }, leaves: {} } } };
    assert.deepEqual(decodeEnvelope(encodeEnvelope(e)), e);
    assert.deepEqual(decodeEnvelope(encodeEnvelope({ node: 'n3', body: { kind: 'alive' } })), { node: 'n3', body: { kind: 'alive' } });
  });

  it('ignores what is not an envelope', () => {
    for (const text of ['', 'x', '{}', '{"node":1,"body":{}}', '{"node":"n","body":{"kind":"broadcast","message":{"name":"r"}}}']) assert.equal(decodeEnvelope(text), undefined, text);
  });
});
