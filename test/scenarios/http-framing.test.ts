// HTTP framing never breaks: requests Node refuses before routing, bodies over the limit,
// clients too slow or gone, and long queries all end in a response a client can read
// (status, Content-Length that matches, no body after HEAD, `Connection: close` when the
// connection cannot go on) or in an info log line, never in a desynchronised stream, a
// reset instead of the response, or a connection held open.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { dbKind } from '../support/db.ts';
import { registerProbe } from '../support/probe.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const project = join(import.meta.dirname, '../fixtures/rest');
const LIMIT = 1024 * 1024;

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Parses every response in `bytes`; HEAD responses (by position in `heads`) have no body. */
function parseResponses(bytes: Buffer, heads: readonly boolean[] = []): RawResponse[] {
  const out: RawResponse[] = [];
  let at = 0;
  while (at < bytes.length) {
    const end = bytes.indexOf('\r\n\r\n', at);
    assert.ok(end > 0, `an incomplete response head: ${JSON.stringify(bytes.toString('latin1', at))}`);
    const [statusLine = '', ...lines] = bytes.toString('latin1', at, end).split('\r\n');
    const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    const length = heads[out.length] === true ? 0 : Number(headers['content-length']);
    assert.ok(Number.isInteger(length), `no Content-Length: ${statusLine}`);
    assert.ok(end + 4 + length <= bytes.length, `a body shorter than its Content-Length ${length}`);
    out.push({ status: Number(statusLine.split(' ')[1]), headers, body: bytes.toString('utf8', end + 4, end + 4 + length) });
    at = end + 4 + length;
  }
  return out;
}

/** Sends `bytes` on a new connection (then `trickle`, one byte per `everyMs`) and returns what came back once the server closed it. */
function exchange(url: string, bytes: Buffer | string, trickle?: { rest: string; everyMs: number }): Promise<{ bytes: Buffer; ms: number; error: string | undefined }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let error: string | undefined;
    let i = 0;
    const timer = trickle && setInterval(() => (i < trickle.rest.length && socket.writable ? socket.write(trickle.rest[i++] ?? '') : undefined), trickle.everyMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code));
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ bytes: Buffer.concat(chunks), ms: performance.now() - started, error });
    });
    socket.write(bytes);
  });
}

const withByte = (before: string, byte: number, afterText: string) => Buffer.concat([Buffer.from(before), Buffer.from([byte]), Buffer.from(afterText)]);

/** Posts `size` bytes with node:http (Content-Length known); resolves with the response or the socket error. */
function postWithHttp(url: string, size: number, headers: Record<string, string>): Promise<{ status: number; body: string; errors: string[] }> {
  return new Promise((resolve) => {
    const errors: string[] = [];
    let result: { status: number; body: string } | undefined;
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(size), ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => (result = { status: res.statusCode ?? 0, body }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => errors.push(e.code ?? e.message));
    req.on('close', () => resolve(result === undefined ? { status: 0, body: '', errors } : { ...result, errors }));
    req.end(Buffer.alloc(size, 0x61));
  });
}

describe(`HTTP framing (${dbKind})`, () => {
  let s: TestServer;
  let key: string;
  before(async () => {
    s = await startTestServer({ projectDir: project, env: { GROUNDWORK_BODY_LIMIT: String(LIMIT) }, register: registerProbe });
    key = s.gw.keys.serviceRole;
  });
  after(() => s.stop());

  describe('requests Node refuses before routing', () => {
    const refused: Array<[string, Buffer | string, number, string, string]> = [
      // name, bytes, status, code, message
      ['a raw byte ≥ 0x80 in the request target', withByte('GET /rest/v1/films', 0xff, ' HTTP/1.1\r\nHost: x\r\n\r\n'), 400, 'GW400', 'Malformed request URL'],
      ['an over-long request line', `GET /rest/v1/films?${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431, 'GW431', 'Request line and headers are too large'],
      ['over-long headers', `GET /health HTTP/1.1\r\nHost: x\r\nCookie: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'GW431', 'Request line and headers are too large'],
      ['Content-Length with Transfer-Encoding', 'POST /rest/v1/films HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400, 'GW400', 'Malformed request headers'],
      ['two different Content-Lengths', 'POST /rest/v1/films HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}', 400, 'GW400', 'Malformed request headers'],
      ['a malformed chunk', 'POST /rest/v1/films HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n', 400, 'GW400', 'Malformed request body framing'],
      ['a header with a control character', withByte('GET /health HTTP/1.1\r\nHost: x\r\nX-A: b', 0x01, '\r\n\r\n'), 400, 'GW400', 'Malformed request headers'],
      ['CONNECT (Node destroyed the socket unanswered)', 'CONNECT /rest/v1/ HTTP/1.1\r\nHost: x\r\n\r\n', 405, 'GW405', 'The CONNECT method is not served here'],
    ];
    for (const [name, bytes, status, code, message] of refused) {
      it(`answers ${name} with ${status} ${code} in the JSON shape, and closes`, async () => {
        const { bytes: got, error } = await exchange(s.url, bytes);
        assert.equal(error, undefined);
        const responses = parseResponses(got);
        assert.equal(responses.length, 1);
        const [r] = responses as [RawResponse];
        assert.equal(r.status, status);
        assert.equal(r.headers['connection'], 'close');
        assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
        assert.match(r.headers['x-request-id'] ?? '', /^[0-9a-f-]{36}$/);
        const body = JSON.parse(r.body) as Record<string, unknown>;
        assert.deepEqual(Object.keys(body), ['code', 'message', 'details', 'hint']);
        assert.equal(body['code'], code);
        assert.equal(body['message'], message);
      });
    }

    for (const [name, bytes] of [
      ['a raw byte in the target', withByte('HEAD /rest/v1/films', 0x80, ' HTTP/1.1\r\nHost: x\r\n\r\n')],
      ['over-long headers', `HEAD /health HTTP/1.1\r\nHost: x\r\nCookie: ${'a'.repeat(20_000)}\r\n\r\n`],
    ] as const) {
      it(`answers a HEAD with ${name} with no body at all`, async () => {
        const { bytes: got } = await exchange(s.url, bytes);
        const text = got.toString('latin1');
        assert.match(text, /^HTTP\/1\.1 4\d\d /);
        assert.ok(text.endsWith('\r\n\r\n'), `bytes after the head: ${JSON.stringify(text.slice(text.indexOf('\r\n\r\n')))}`);
        assert.match(text, /\r\ncontent-length: 0\r\n/);
        assert.match(text, /\r\nconnection: close\r\n/);
      });
    }

    it('answers a bad request pipelined after a good one after its response, in order', async () => {
      const { bytes: got } = await exchange(s.url, withByte('GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\nHEAD /x', 0xff, ' HTTP/1.1\r\nHost: x\r\n\r\n'));
      const [first, second, ...rest] = parseResponses(got, [false, true]);
      assert.equal(first?.status, 404);
      assert.equal((JSON.parse(first?.body ?? '{}') as { code?: string }).code, 'GW404');
      assert.equal(second?.status, 400);
      assert.equal(second?.body, '');
      assert.equal(rest.length, 0);
    });

    it('logs them at info with their reason, not as failures', async () => {
      await exchange(s.url, withByte('GET /x', 0xff, ' HTTP/1.1\r\n\r\n'));
      const e = s.events.findLast((o) => o.type === 'client-error');
      assert.ok(e?.type === 'client-error');
      assert.deepEqual([e.status, e.code, e.reason, e.method], [400, 'GW400', 'HPE_INVALID_URL', 'GET']);
      assert.ok(!s.events.some((o) => o.type === 'request-failed'));
    });
  });

  describe('a body over the limit', () => {
    // Which error each family renders is its own (Auth's shape is tested with Auth); here:
    // its bytes arrive whole while the client is still uploading.
    const routes: Array<[string, string, (status: number) => boolean]> = [
      ['REST', '/rest/v1/films', (status) => status === 413],
      ['Auth', '/auth/v1/signup', (status) => status >= 400],
    ];
    for (const [family, path, expected] of routes) {
      for (const times of [2, 20]) {
        it(`${family}: ${times}× the limit through node:http gets the error and its JSON, not a socket error`, async () => {
          const r = await postWithHttp(`${s.url}${path}`, LIMIT * times, { apikey: key, authorization: `Bearer ${key}` });
          assert.deepEqual(r.errors, []);
          assert.ok(expected(r.status), String(r.status));
          assert.equal(typeof JSON.parse(r.body), 'object');
        });

        it(`${family}: ${times}× the limit through fetch gets the error and its JSON`, async () => {
          const res = await fetch(`${s.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', apikey: key, authorization: `Bearer ${key}` }, body: Buffer.alloc(LIMIT * times, 0x61) });
          assert.ok(expected(res.status), String(res.status));
          assert.equal(res.headers.get('connection'), 'close');
          assert.equal(typeof (await res.json()), 'object');
        });
      }
    }

    it('REST: the 413 is the core catalogue’s', async () => {
      const r = await postWithHttp(`${s.url}/rest/v1/films`, LIMIT * 2, { authorization: `Bearer ${key}` });
      assert.deepEqual(JSON.parse(r.body), { code: 'GW413', message: `Request body is larger than the limit of ${LIMIT} bytes`, details: null, hint: 'Raise GROUNDWORK_BODY_LIMIT to accept larger bodies' });
    });
  });

  describe('a long query string', () => {
    it('gets a response whose headers Node’s fetch can read (~11 KB query)', async () => {
      const ids = Array.from({ length: 2400 }, (_, i) => i + 1).join(',');
      const path = `/rest/v1/films?select=id,title&id=in.(${ids})`;
      assert.ok(path.length > 10_000 && path.length < 12_000, String(path.length));
      const res = await fetch(`${s.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
      assert.equal(res.status, 200);
      assert.ok(Array.isArray(await res.json()));
      assert.equal(res.headers.get('content-location'), null);
    });

    it('keeps Content-Location on ordinary queries', async () => {
      const res = await fetch(`${s.url}/rest/v1/films?select=id&id=eq.1`, { headers: { authorization: `Bearer ${key}` } });
      await res.arrayBuffer();
      assert.equal(res.headers.get('content-location'), '/films?id=eq.1&select=id');
    });
  });

  describe('a client that goes away', () => {
    const waitFor = async (check: () => boolean) => {
      for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
    };

    it('mid-body is logged as an aborted request, not a failure', async () => {
      const socket: Socket = connect(Number(new URL(s.url).port), new URL(s.url).hostname);
      socket.write('POST /probe/echo HTTP/1.1\r\nHost: x\r\nX-Request-Id: gone-mid-body\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":');
      await new Promise((r) => setTimeout(r, 100));
      socket.destroy();
      await waitFor(() => s.events.some((o) => o.type === 'request-aborted' && o.requestId === 'gone-mid-body'));
      const mine = s.events.filter((o) => 'requestId' in o && o.requestId === 'gone-mid-body');
      assert.deepEqual(mine.map((o) => o.type), ['request-aborted']);
    });

    it('while its request runs is logged as an aborted request', async () => {
      const ac = new AbortController();
      const pending = fetch(`${s.url}/probe/slow`, { headers: { 'x-request-id': 'gone-mid-query' }, signal: ac.signal }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 150));
      ac.abort();
      await pending;
      await waitFor(() => s.events.some((o) => 'requestId' in o && o.requestId === 'gone-mid-query'));
      await new Promise((r) => setTimeout(r, 600));
      const mine = s.events.filter((o) => 'requestId' in o && o.requestId === 'gone-mid-query');
      assert.deepEqual(mine.map((o) => o.type), ['request-aborted']);
    });
  });
});

describe(`HTTP framing: slow clients (${dbKind})`, () => {
  let s: TestServer;
  const HEADERS_MS = 500;
  const REQUEST_MS = 1500;
  before(async () => {
    s = await startTestServer({
      env: { GROUNDWORK_HEADERS_TIMEOUT_MS: String(HEADERS_MS), GROUNDWORK_REQUEST_TIMEOUT_MS: String(REQUEST_MS) },
      register: (app) => {
        app.get('/test/sleep', async () => {
          await new Promise((r) => setTimeout(r, REQUEST_MS + 500));
          return { slept: true };
        });
      },
    });
  });
  after(() => s.stop());

  it('cuts a body trickled one byte at a time with 408 in the JSON shape', async () => {
    const head = 'POST /rest/v1/films HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n';
    const { bytes, ms } = await exchange(s.url, head, { rest: `{"a":"${'b'.repeat(150)}"}`, everyMs: 100 });
    const [r, ...rest] = parseResponses(bytes);
    assert.equal(rest.length, 0);
    assert.equal(r?.status, 408);
    assert.equal(r?.headers['connection'], 'close');
    assert.deepEqual(JSON.parse(r?.body ?? ''), {
      code: 'GW408',
      message: `The request with its body did not arrive within ${REQUEST_MS} ms`,
      details: null,
      hint: 'Raise GROUNDWORK_REQUEST_TIMEOUT_MS for slower clients',
    });
    assert.ok(ms >= REQUEST_MS - 50 && ms < REQUEST_MS + 1500, `closed after ${Math.round(ms)} ms`);
  });

  it('cuts headers trickled one byte at a time with 408 (no body: the method is not known)', async () => {
    const { bytes, ms } = await exchange(s.url, 'GET /health HTTP/1.1\r\n', { rest: `X-Slow: ${'b'.repeat(100)}`, everyMs: 100 });
    const [r] = parseResponses(bytes);
    assert.equal(r?.status, 408);
    assert.equal(r?.headers['content-length'], '0');
    assert.equal(r?.headers['connection'], 'close');
    assert.ok(ms >= HEADERS_MS - 50 && ms < HEADERS_MS + 1500, `closed after ${Math.round(ms)} ms`);
  });

  it('does not let a few hundred trickling connections pin the server', async () => {
    const slow = Array.from({ length: 200 }, () => exchange(s.url, 'GET /health HTTP/1.1\r\n', { rest: 'X-Slow: '.padEnd(100, 'b'), everyMs: 200 }));
    await new Promise((r) => setTimeout(r, 100));
    const health = await fetch(`${s.url}/health`);
    assert.equal(health.status, 200);
    await health.arrayBuffer();
    const done = await Promise.all(slow);
    assert.ok(done.every((d) => d.bytes.toString('latin1').startsWith('HTTP/1.1 408 ')));
    assert.ok(Math.max(...done.map((d) => d.ms)) < HEADERS_MS + 2000);
  });

  it('lets a request that arrived in time run longer than the timeout (it bounds receiving only)', async () => {
    const res = await fetch(`${s.url}/test/sleep`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { slept: true });
  });
});
