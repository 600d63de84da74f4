// Broadcast through supabase-js on both protocol versions: socket sends with ack and self,
// binary payloads, httpSend and the batch REST endpoint, and public channels kept apart from
// private ones of the same name.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { SupabaseClient } from '@supabase/supabase-js';
import { dbKind } from '../support/db.ts';
import { Inbox, realtimeClient, stopRealtime, subscribed, VERSIONS } from '../support/realtime.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const project = join(import.meta.dirname, '../fixtures/realtime');

describe(`realtime broadcast (${dbKind})`, () => {
  let server: TestServer;
  const clients: SupabaseClient[] = [];
  const client = (vsn: '1.0.0' | '2.0.0', token?: string) => {
    const c = realtimeClient(server.url, server.gw.keys.anon, vsn, token);
    clients.push(c);
    return c;
  };

  before(async () => {
    server = await startTestServer({ projectDir: project });
  });
  after(() => stopRealtime(server, clients));

  for (const vsn of VERSIONS) {
    it(`delivers a socket broadcast to others, to itself with self, and acks it (vsn ${vsn})`, async () => {
      const a = client(vsn);
      const b = client(vsn);
      const topic = `room-${vsn}`;
      const mine = new Inbox<unknown>();
      const theirs = new Inbox<unknown>();
      const chA = a.channel(topic, { config: { broadcast: { self: true, ack: true } } }).on('broadcast', { event: 'cursor' }, mine.push);
      const chB = b.channel(topic).on('broadcast', { event: '*' }, theirs.push);
      await subscribed(chA);
      await subscribed(chB);
      assert.equal(await chA.send({ type: 'broadcast', event: 'cursor', payload: { x: 1 } }), 'ok');
      const [got] = await theirs.atLeast(1);
      assert.deepEqual(got, { type: 'broadcast', event: 'cursor', payload: { x: 1 } });
      assert.deepEqual(await mine.atLeast(1), [{ type: 'broadcast', event: 'cursor', payload: { x: 1 } }]);
      // Without self, the sender does not hear itself.
      assert.equal(await chB.send({ type: 'broadcast', event: 'cursor', payload: { y: 2 } }), 'ok');
      await mine.atLeast(2);
      assert.equal((await theirs.after(200)).length, 1);
    });

    it(`delivers httpSend and REST batch messages (vsn ${vsn})`, async () => {
      const a = client(vsn);
      const inbox = new Inbox<{ payload: unknown; event: string }>();
      const ch = a.channel(`http-${vsn}`).on('broadcast', { event: '*' }, inbox.push);
      await subscribed(ch);
      const sender = client(vsn).channel(`http-${vsn}`);
      assert.deepEqual(await sender.httpSend('hello', { n: 1 }), { success: true });
      const res = await fetch(`${server.url}/realtime/v1/api/broadcast`, {
        method: 'POST',
        headers: { apikey: server.gw.keys.anon, 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [{ topic: `http-${vsn}`, event: 'batch', payload: { n: 2 } }] }),
      });
      assert.equal(res.status, 202);
      const got = await inbox.atLeast(2);
      assert.deepEqual(got.map((m) => [m.event, m.payload]), [['hello', { n: 1 }], ['batch', { n: 2 }]]);
    });
  }

  it('carries binary payloads between vsn 2.0.0 clients, over the socket and httpSend', async () => {
    const a = client('2.0.0');
    const b = client('2.0.0');
    const inbox = new Inbox<{ payload: ArrayBuffer }>();
    await subscribed(b.channel('bytes').on('broadcast', { event: 'blob' }, inbox.push));
    const chA = await subscribed(a.channel('bytes'));
    await chA.send({ type: 'broadcast', event: 'blob', payload: new Uint8Array([1, 2, 3]).buffer });
    await chA.httpSend('blob', new Uint8Array([4, 5]).buffer);
    const got = await inbox.atLeast(2);
    assert.deepEqual(got.map((m) => [...new Uint8Array(m.payload)]), [[1, 2, 3], [4, 5]]);
  });

  it('answers 401 to a bad key and 422 to a bad batch', async () => {
    const bad = await fetch(`${server.url}/realtime/v1/api/broadcast`, { method: 'POST', headers: { apikey: 'nope', 'content-type': 'application/json' }, body: '{"messages":[]}' });
    assert.equal(bad.status, 401);
    const malformed = await fetch(`${server.url}/realtime/v1/api/broadcast`, { method: 'POST', headers: { apikey: server.gw.keys.anon, 'content-type': 'application/json' }, body: '{"messages":[{"event":1}]}' });
    assert.equal(malformed.status, 422);
    assert.equal(((await malformed.json()) as { code: string }).code, 'RT422');
  });
});
