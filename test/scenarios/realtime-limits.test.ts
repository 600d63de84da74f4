// Realtime's limits, each on a server of its own with a small setting: payload size, events
// and joins per second (averaged over 60 s, as Supabase does), and the bounded send buffer
// that disconnects a client that stops reading.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import WebSocket from 'ws';
import { dbKind } from '../support/db.ts';
import { Inbox, realtimeClient, subscribed } from '../support/realtime.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const project = join(import.meta.dirname, '../fixtures/realtime');

async function withServer(env: Record<string, string>, run: (s: TestServer) => Promise<void>): Promise<void> {
  const server = await startTestServer({ projectDir: project, env });
  try {
    await run(server);
  } finally {
    await server.stop();
  }
}

function socket(server: TestServer): Promise<WebSocket> {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/realtime/v1/websocket?apikey=${server.gw.keys.anon}&vsn=2.0.0`);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe(`realtime limits (${dbKind})`, () => {
  it('refuses a broadcast over the payload limit with an error reply', async () => {
    await withServer({ GROUNDWORK_REALTIME_MAX_PAYLOAD_KB: '1' }, async (server) => {
      const c = realtimeClient(server.url, server.gw.keys.anon, '2.0.0');
      const ch = await subscribed(c.channel('big', { config: { broadcast: { ack: true } } }));
      assert.equal(await ch.send({ type: 'broadcast', event: 'e', payload: { pad: 'x'.repeat(2000) } }), 'error');
      assert.equal(await ch.send({ type: 'broadcast', event: 'e', payload: { pad: 'x'.repeat(100) } }), 'ok');
      const rest = await fetch(`${server.url}/realtime/v1/api/broadcast/big/events/e`, { method: 'POST', headers: { apikey: server.gw.keys.anon, 'content-type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(2000) }) });
      assert.equal(rest.status, 413);
      await c.removeAllChannels();
    });
  });

  it('closes a channel past the events-per-second limit, and answers REST with 429', async () => {
    // 1 per second over 60 s: 60 events pass, the next does not.
    await withServer({ GROUNDWORK_REALTIME_MAX_EVENTS_PER_SECOND: '1' }, async (server) => {
      const c = realtimeClient(server.url, server.gw.keys.anon, '2.0.0');
      const system = new Inbox<{ status: string; message: string }>();
      const ch = await subscribed(c.channel('chatty').on('system', {}, system.push));
      for (let i = 0; i < 61; i++) await ch.send({ type: 'broadcast', event: 'e', payload: { i } });
      const [got] = await system.atLeast(1);
      assert.deepEqual({ status: got?.status, message: got?.message }, { status: 'error', message: 'Too many messages per second' });
      const rest = await fetch(`${server.url}/realtime/v1/api/broadcast`, { method: 'POST', headers: { apikey: server.gw.keys.anon, 'content-type': 'application/json' }, body: JSON.stringify({ messages: [{ topic: 't', event: 'e', payload: {} }] }) });
      assert.equal(rest.status, 429);
      await c.removeAllChannels();
    });
  });

  it('refuses joins past the joins-per-second limit and closes that socket', async () => {
    await withServer({ GROUNDWORK_REALTIME_MAX_JOINS_PER_SECOND: '1', GROUNDWORK_REALTIME_MAX_CHANNELS_PER_CLIENT: '100' }, async (server) => {
      const ws = await socket(server);
      const replies: unknown[][] = [];
      ws.on('message', (d) => replies.push(JSON.parse(String(d)) as unknown[]));
      const closed = new Promise<void>((r) => ws.once('close', () => r()));
      for (let i = 1; i <= 61; i++) ws.send(JSON.stringify([String(i), String(i), `realtime:j${i}`, 'phx_join', { config: {} }]));
      await closed;
      const last = replies.find((m) => m[1] === '61');
      assert.deepEqual(last?.[4], { status: 'error', response: { reason: 'ClientJoinRateLimitReached: Too many joins per second' } });
      assert.equal(replies.filter((m) => m[3] === 'phx_reply' && (m[4] as { status: string }).status === 'ok').length, 60);
    });
  });

  it('disconnects a client that stops reading instead of buffering without bound', async () => {
    await withServer({ GROUNDWORK_REALTIME_SEND_BUFFER_KB: '64', GROUNDWORK_REALTIME_MAX_EVENTS_PER_SECOND: '100000' }, async (server) => {
      const slow = await socket(server);
      slow.send(JSON.stringify(['1', '1', 'realtime:flood', 'phx_join', { config: {} }]));
      await new Promise<void>((r) => slow.once('message', () => r()));
      const closed = new Promise<void>((r) => slow.once('close', () => r()));
      // Stop reading: the kernel's buffers fill, then the server's.
      (slow as unknown as { _socket: { pause(): void } })._socket.pause();
      const sender = await socket(server);
      sender.send(JSON.stringify(['1', '1', 'realtime:flood', 'phx_join', { config: {} }]));
      const pad = 'x'.repeat(100_000);
      let gone = false;
      void closed.then(() => (gone = true));
      for (let i = 0; i < 400 && !gone; i++) {
        sender.send(JSON.stringify(['1', String(i + 2), 'realtime:flood', 'broadcast', { type: 'broadcast', event: 'e', payload: { pad } }]));
        await new Promise((r) => setTimeout(r, 2));
      }
      // The paused client cannot see the close frame; its socket is destroyed under it.
      (slow as unknown as { _socket: { resume(): void } })._socket.resume();
      await closed;
      assert.ok(server.events.some((e) => e.type === 'realtime-disconnect' && e.reason === 'send buffer full'));
      sender.terminate();
    });
  });
});
