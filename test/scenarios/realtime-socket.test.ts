// The socket's Phoenix rules, frame by frame, with a raw WebSocket: heartbeats, unknown
// topics, duplicate joins, stale join refs, malformed frames, the handshake's refusals,
// tokens that expire or are refreshed, and the per-socket channel limit.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { get as httpGet } from 'node:http';
import WebSocket from 'ws';
import { dbKind } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { mintToken } from '../support/tokens.ts';

const project = join(import.meta.dirname, '../fixtures/realtime');
type Msg = [string | null, string | null, string, string, Record<string, unknown>];

/** A v2 socket that keeps every text frame it receives. */
class RawSocket {
  readonly frames: Msg[] = [];
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.closed = new Promise((resolve) => this.ws.once('close', (code) => resolve(code)));
    this.ws.on('message', (data, binary) => {
      if (!binary) this.frames.push(JSON.parse(String(data)) as Msg);
    });
  }

  send(m: Msg | string): void {
    this.ws.send(typeof m === 'string' ? m : JSON.stringify(m));
  }

  async next(match: (m: Msg) => boolean, timeoutMs = 3000): Promise<Msg> {
    const start = Date.now();
    for (;;) {
      const found = this.frames.find(match);
      if (found !== undefined) {
        this.frames.splice(this.frames.indexOf(found), 1);
        return found;
      }
      if (Date.now() - start > timeoutMs) throw new Error(`no matching frame; got ${JSON.stringify(this.frames)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

describe(`realtime socket (${dbKind})`, () => {
  let server: TestServer;
  const sockets: RawSocket[] = [];
  const open = async (key = server.gw.keys.anon, vsn = '2.0.0') => {
    const s = new RawSocket(`${server.url.replace('http', 'ws')}/realtime/v1/websocket?apikey=${key}&vsn=${vsn}`);
    sockets.push(s);
    await s.opened;
    return s;
  };
  const join = (s: RawSocket, ref: string, topic: string, payload: Record<string, unknown> = { config: {} }) => {
    s.send([ref, ref, topic, 'phx_join', payload]);
    return s.next((m) => m[1] === ref && m[3] === 'phx_reply');
  };

  before(async () => {
    server = await startTestServer({ projectDir: project, env: { GROUNDWORK_REALTIME_MAX_CHANNELS_PER_CLIENT: '3' } });
  });
  after(async () => {
    for (const s of sockets) s.ws.terminate();
    await server.stop();
  });

  it('answers heartbeats and keeps the socket through malformed frames', async () => {
    const s = await open();
    s.send('not json');
    s.send('{"an":"object on v2"}');
    s.ws.send(Buffer.from([9, 9, 9]));
    s.send([null, '7', 'phoenix', 'heartbeat', {}]);
    assert.deepEqual(await s.next((m) => m[1] === '7'), [null, '7', 'phoenix', 'phx_reply', { status: 'ok', response: {} }]);
  });

  it('answers a push to an unjoined topic with "unmatched topic"', async () => {
    const s = await open();
    s.send(['1', '2', 'realtime:nowhere', 'broadcast', { type: 'broadcast', event: 'e', payload: {} }]);
    assert.deepEqual(await s.next((m) => m[1] === '2'), [null, '2', 'realtime:nowhere', 'phx_reply', { status: 'error', response: { reason: 'unmatched topic' } }]);
    assert.deepEqual((await join(s, '3', 'realtime:'))[4], { status: 'error', response: { reason: 'TopicNameRequired: You must provide a topic name' } });
  });

  it('joins, echoes bindings with ids, replaces a duplicate join and leaves with a close', async () => {
    const s = await open();
    const binding = { event: '*', schema: 'public', table: 'notes', filter: 'room=eq.lobby' };
    const first = await join(s, '1', 'realtime:dup', { config: { postgres_changes: [binding] } });
    const response = (first[4] as { response: { postgres_changes: Array<Record<string, unknown>> } }).response;
    assert.equal(first[0], '1');
    assert.deepEqual({ ...response.postgres_changes[0], id: undefined }, { ...binding, id: undefined });
    assert.equal(typeof response.postgres_changes[0]?.['id'], 'number');
    await join(s, '5', 'realtime:dup', { config: { postgres_changes: [binding] } }).then((m) => {
      // The same binding gets the same id on every join.
      assert.deepEqual((m[4] as { response: unknown }).response, response);
    });
    assert.deepEqual(await s.next((m) => m[3] === 'phx_close'), ['1', '1', 'realtime:dup', 'phx_close', {}]);
    // A push with the old join_ref is ignored; with the current one, answered.
    s.send(['1', '8', 'realtime:dup', 'presence', { type: 'presence', event: 'track', payload: {} }]);
    s.send(['5', '9', 'realtime:dup', 'presence', { type: 'presence', event: 'track', payload: { a: 1 } }]);
    assert.deepEqual((await s.next((m) => m[1] === '9'))[4], { status: 'ok', response: {} });
    assert.equal(s.frames.some((m) => m[1] === '8'), false);
    s.send(['5', '10', 'realtime:dup', 'phx_leave', {}]);
    assert.deepEqual(await s.next((m) => m[1] === '10'), ['5', '10', 'realtime:dup', 'phx_reply', { status: 'ok', response: {} }]);
    assert.deepEqual(await s.next((m) => m[3] === 'phx_close'), ['5', '5', 'realtime:dup', 'phx_close', {}]);
  });

  it('speaks vsn 1.0.0 without join_ref', async () => {
    const s = new RawSocket(`${server.url.replace('http', 'ws')}/realtime/v1/websocket?apikey=${server.gw.keys.anon}&vsn=1.0.0`);
    sockets.push(s);
    await s.opened;
    const got = new Promise<Record<string, unknown>>((resolve) => s.ws.once('message', (d) => resolve(JSON.parse(String(d)) as Record<string, unknown>)));
    s.send(JSON.stringify({ topic: 'realtime:v1', event: 'phx_join', payload: { config: {} }, ref: '1', join_ref: '1' }));
    assert.deepEqual(await got, { topic: 'realtime:v1', event: 'phx_reply', payload: { status: 'ok', response: { postgres_changes: [] } }, ref: '1' });
  });

  it('refuses the handshake without a valid key, with {error}', async () => {
    const base = `${server.url}/realtime/v1/websocket`;
    const upgrade = { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' };
    // fetch cannot ask for an upgrade; node:http can, and sees the refusal as a response.
    const fetchUpgrade = (url: string) =>
      new Promise<{ status: number; json: () => Promise<unknown> }>((resolve, reject) => {
        const req = httpGet(url, { headers: upgrade }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += String(c)));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: async () => JSON.parse(text) as unknown }));
        });
        req.on('error', reject);
      });
    for (const [query, status, error] of [
      ['', 401, 'API key is missing'],
      ['?apikey=abc', 401, 'The token provided is not a valid JWT'],
      [`?apikey=${server.gw.keys.anon}&vsn=3.0.0`, 400, undefined],
    ] as const) {
      const res = await fetchUpgrade(`${base}${query}`);
      assert.equal(res.status, status, query);
      const body = (await res.json()) as { error: string };
      if (error !== undefined) assert.equal(body.error, error);
    }
  });

  it('refuses a join whose token expired, and closes a channel when its token expires', async () => {
    const s = await open();
    const expired = await mintToken({ role: 'authenticated', sub: 'u', exp: Math.floor(Date.now() / 1000) - 10 });
    const refused = await join(s, '1', 'realtime:exp', { config: {}, access_token: expired });
    assert.match(String((refused[4] as { response: { reason: string } }).response.reason), /^InvalidJWTToken: Token has expired \d+ seconds ago$/);
    const soon = await mintToken({ role: 'authenticated', sub: 'u', exp: Math.floor(Date.now() / 1000) + 1 });
    assert.equal((await join(s, '2', 'realtime:exp', { config: {}, access_token: soon }))[4]['status'], 'ok');
    const system = await s.next((m) => m[3] === 'system', 4000);
    assert.deepEqual({ ...system[4], message: undefined }, { extension: 'system', status: 'error', message: undefined, channel: 'exp' });
    assert.match(String(system[4]['message']), /^Token has expired/);
    assert.deepEqual(await s.next((m) => m[3] === 'phx_close'), ['2', '2', 'realtime:exp', 'phx_close', {}]);
  });

  it('takes a refreshed token without a reply, and closes on an invalid one', async () => {
    const s = await open();
    await join(s, '1', 'realtime:refresh');
    const fresh = await mintToken({ role: 'authenticated', sub: 'u', exp: Math.floor(Date.now() / 1000) + 600 });
    s.send(['1', '2', 'realtime:refresh', 'access_token', { access_token: fresh }]);
    s.send([null, '3', 'phoenix', 'heartbeat', {}]);
    await s.next((m) => m[1] === '3');
    assert.equal(s.frames.some((m) => m[1] === '2'), false, 'no reply to access_token');
    s.send(['1', '4', 'realtime:refresh', 'access_token', { access_token: await mintToken({ role: 'authenticated' }) }]);
    assert.equal((await s.next((m) => m[3] === 'system'))[4]['message'], 'Fields `role` and `exp` are required in JWT');
    await s.next((m) => m[3] === 'phx_close');
  });

  it('limits channels per socket', async () => {
    const s = await open();
    for (const n of ['1', '2', '3']) assert.equal((await join(s, n, `realtime:lim-${n}`))[4]['status'], 'ok');
    assert.deepEqual((await join(s, '4', 'realtime:lim-4'))[4], { status: 'error', response: { reason: 'ChannelRateLimitReached: Too many channels' } });
  });
});
