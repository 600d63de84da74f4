// Sends one case to the server on loopback and records everything the oracle needs: the
// status, headers and the whole body, or the error and whether any response came first.
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { FuzzCase, HttpCase, RawCase } from './case.ts';
import { parseResponses, type RawResponse } from './raw-parse.ts';

export interface HttpOutcome {
  readonly kind: 'http';
  readonly ms: number;
  readonly status?: number;
  readonly headers?: IncomingHttpHeaders;
  readonly body?: Buffer;
  /** A connection-level failure (ECONNRESET, socket hang up, a parse error…) or 'timeout'. */
  readonly error?: string;
  /** The case the client refused to send (a generator bug, not a server failure). */
  readonly unsendable?: string;
  /** The previous request on the same keep-alive socket and its answer, for failures it may have caused. */
  readonly previousOnSocket?: string;
}

export interface RawOutcome {
  readonly kind: 'raw';
  readonly ms: number;
  readonly responses: readonly RawResponse[];
  /** Bytes after the last complete response (a leaked body, garbage, or a cut response). */
  readonly leftover: number;
  readonly received: number;
  /** The start of what came back, for the report. */
  readonly head: string;
  readonly closed: boolean;
  readonly error?: string;
}

export type Outcome = HttpOutcome | RawOutcome;

export interface Sender {
  send(c: FuzzCase, index: number, requestId: string): Promise<Outcome>;
  close(): void;
}

/** Header values as node:http sends them: bytes 0x80–0xff pass (as latin1), control bytes do not. */
function headerValue(v: string): string {
  return Buffer.from(v, 'utf8')
    .toString('latin1')
    .replace(/[^\t\x20-\x7e\x80-\xff]/g, '?');
}

/** A path node:http accepts: 0x21–0xff stay as they are (0x80–0xff as single bytes), the rest is percent-encoded. */
function sendablePath(p: string): string {
  return p.replace(/[^\x21-\xff]/gu, (c) => [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
}

export function createSender(baseUrl: string, concurrency: number, timeoutMs = 30_000): Sender {
  const url = new URL(baseUrl);
  const port = Number(url.port);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const lastOnSocket = new WeakMap<Socket, { index: number; answer: string }>();

  function sendHttp(c: HttpCase, index: number, requestId: string): Promise<HttpOutcome> {
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    const headers: Record<string, string | string[]> = { 'x-request-id': requestId };
    for (const [k, v] of Object.entries(c.headers)) headers[k] = typeof v === 'string' ? headerValue(v) : v.map(headerValue);
    if (c.body !== undefined && !c.chunked) headers['content-length'] = String(c.body.length);
    return new Promise((resolve) => {
      let previous: string | undefined;
      let socket: Socket | undefined;
      let settled = false;
      const done = (o: Omit<HttpOutcome, 'kind' | 'ms' | 'previousOnSocket'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ kind: 'http', ms: ms(), ...o, ...(previous === undefined ? {} : { previousOnSocket: previous }) });
      };
      let req: ReturnType<typeof request>;
      try {
        req = request({ host: '127.0.0.1', port, method: c.method, path: sendablePath(c.path), headers, agent });
      } catch (e) {
        resolve({ kind: 'http', ms: ms(), unsendable: e instanceof Error ? e.message : String(e) });
        return;
      }
      const timer = setTimeout(() => {
        done({ error: `timeout: no complete response within ${timeoutMs} ms` });
        req.destroy();
      }, timeoutMs);
      req.on('socket', (s) => {
        const last = lastOnSocket.get(s);
        previous = last === undefined ? undefined : `#${last.index} → ${last.answer}`;
        socket = s;
        lastOnSocket.set(s, { index, answer: 'no answer yet' });
      });
      req.on('response', (res) => {
        if (socket !== undefined) lastOnSocket.set(socket, { index, answer: `${res.statusCode ?? 0}${res.headers.connection === undefined ? '' : ` (Connection: ${res.headers.connection})`}` });
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', (e) => done({ status: res.statusCode ?? 0, headers: res.headers, error: `body cut: ${describe(e)}` }));
        res.on('aborted', () => done({ status: res.statusCode ?? 0, headers: res.headers, error: 'body cut: response aborted' }));
      });
      req.on('error', (e) => done({ error: describe(e) }));
      if (c.body === undefined) req.end();
      else if (c.chunked) {
        const third = Math.ceil(c.body.length / 3);
        for (let i = 0; i < c.body.length; i += third) req.write(c.body.subarray(i, i + third));
        req.end();
      } else req.end(c.body);
    });
  }

  function sendRaw(c: RawCase, requestId: string): Promise<RawOutcome> {
    const started = performance.now();
    return new Promise((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      const chunks: Buffer[] = [];
      let settled = false;
      let error: string | undefined;
      const finish = (closed: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        const all = Buffer.concat(chunks);
        const parsed = parseResponses(all, c.methods, closed);
        resolve({
          kind: 'raw',
          ms: Math.round(performance.now() - started),
          responses: parsed.responses,
          leftover: parsed.leftover,
          received: all.length,
          head: all.subarray(0, 800).toString('latin1'),
          closed,
          ...(error === undefined ? {} : { error }),
        });
      };
      const timer = setTimeout(() => {
        error ??= chunks.length === 0 ? `timeout: no response within ${timeoutMs} ms` : undefined;
        finish(false);
      }, timeoutMs);
      socket.on('data', (d: Buffer) => {
        chunks.push(d);
        const parsed = parseResponses(Buffer.concat(chunks), c.methods, false);
        // Every request answered (or a final answer that closes): nothing more to wait for.
        if (parsed.responses.length >= c.methods.length && parsed.leftover === 0) finish(false);
      });
      socket.on('error', (e) => {
        // A reset after a complete answer is the server closing; before it, a failure.
        if (chunks.length === 0) error = describe(e);
      });
      socket.on('close', () => finish(true));
      // The first request carries the run's request id, so the server's log of it can be found.
      const text = c.bytes.toString('latin1');
      const withId = text.replace(/(\r?\n)Host: 127\.0\.0\.1/, (m, eol: string) => `${m}${eol}X-Request-Id: ${requestId}`);
      socket.write(Buffer.from(withId, 'latin1'));
    });
  }

  return {
    send: (c, index, requestId) => (c.kind === 'http' ? sendHttp(c, index, requestId) : sendRaw(c, requestId)),
    close: () => agent.destroy(),
  };
}

function describe(e: unknown): string {
  const err = e as { code?: unknown; message?: unknown };
  return [typeof err.code === 'string' ? err.code : undefined, typeof err.message === 'string' ? err.message : String(e)].filter((x) => x !== undefined).join(': ');
}
