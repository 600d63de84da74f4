// Requests Node's HTTP parser refuses (bytes that are not HTTP, headers over its size
// bound, conflicting framing headers, a broken chunked body) and requests too slow to
// arrive never reach Fastify's routes: Node reports them on the server's 'clientError'
// with the raw socket. They are answered here in the core's JSON shape, on the socket,
// always with `Connection: close` (the byte stream cannot be trusted after them) and
// never with a body after HEAD, which a keep-alive client would read as the next response.
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ApiError } from '../errors/api-error.ts';
import { coreErrors } from '../errors/core-catalogue.ts';
import type { Observer } from '../observe/events.ts';
import { SECURITY_HEADERS } from './cors.ts';
import type { Lingering } from './linger.ts';

/** Node's bounds on receiving a request, in ms (0: none). */
export interface HttpTimeouts {
  /** From the request's first byte to the end of its headers. */
  readonly headersMs: number;
  /** From the request's first byte to the end of its body. */
  readonly requestMs: number;
}

/**
 * How often Node looks for requests past their timeout: a fraction of the shorter one, so a
 * request is cut within a quarter of its timeout (Node's own default is every 30 s).
 */
export function checkingInterval(t: HttpTimeouts): number {
  const set = [t.headersMs, t.requestMs].filter((ms) => ms > 0);
  if (set.length === 0) return 30_000;
  return Math.min(1000, Math.max(25, Math.floor(Math.min(...set) / 4)));
}

/**
 * The error to answer for a parser or timeout error: `phase` says whether the request's
 * headers had been read (its body was arriving). Undefined: nothing to answer (the socket
 * broke or the client reset it).
 */
export function clientErrorFor(
  code: string | undefined,
  reason: string | undefined,
  phase: 'headers' | 'body',
  timeouts: HttpTimeouts,
  maxHeaderBytes: number,
): ApiError | undefined {
  const detail = reason ?? code ?? 'unreadable request';
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return phase === 'body' || timeouts.headersMs === 0 ? coreErrors.requestTimeout('request', timeouts.requestMs) : coreErrors.requestTimeout('headers', timeouts.headersMs);
    case 'HPE_HEADER_OVERFLOW':
      return coreErrors.headersTooLarge(maxHeaderBytes);
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return coreErrors.chunkExtensionsTooLarge();
    case 'HPE_INVALID_URL':
      return coreErrors.badUrl(detail);
    case 'HPE_INVALID_METHOD':
    case 'HPE_INVALID_VERSION':
      return coreErrors.malformedRequest('line', detail);
    case 'HPE_INVALID_EOF_STATE':
      return undefined; // the client closed its side mid-request: it is leaving, not waiting
    default:
      if (code?.startsWith('HPE_') !== true) return undefined;
      return coreErrors.malformedRequest(phase === 'body' ? 'body framing' : 'headers', detail);
  }
}

const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) \S+ HTTP\/\d\.\d$/;

/**
 * The method of the request the parser failed on, when its request line is in `packet` (the
 * bytes read when it failed; `bytesParsed` of them were accepted). Earlier requests
 * pipelined in the same packet end at a blank line. Undefined when the line is not there
 * (headers spread over several reads, a timeout): the method is then unknown.
 */
export function methodInPacket(packet: Buffer | undefined, bytesParsed: number | undefined): string | undefined {
  if (packet === undefined) return undefined;
  const parsed = Math.min(bytesParsed ?? packet.length, packet.length);
  const blank = parsed >= 4 ? packet.lastIndexOf('\r\n\r\n', parsed - 4) : -1;
  const start = blank < 0 ? 0 : blank + 4;
  const end = packet.indexOf('\r\n', start);
  if (end < 0) return undefined;
  return REQUEST_LINE.exec(packet.toString('latin1', start, end))?.[1];
}

/** A complete HTTP/1.1 response for `error`; the JSON body only when `withBody`. */
export function rawErrorResponse(error: ApiError, options: { requestId: string; withBody: boolean; date?: Date }): Buffer {
  const body = options.withBody ? Buffer.from(JSON.stringify(error.body)) : Buffer.alloc(0);
  const headers: Record<string, string> = {
    ...error.headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(body.length),
    connection: 'close',
    'x-request-id': options.requestId,
    ...SECURITY_HEADERS,
    date: (options.date ?? new Date()).toUTCString(),
  };
  const head = [`HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

interface Routed {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly requestId: string;
  readonly url: string;
}

/**
 * The last request routed on each connection, so a parser error or timeout in its body is
 * answered as that request (its method, id and URL), and a response already going out on
 * the connection is never interleaved with ours.
 */
export class RoutedRequests {
  readonly #last = new WeakMap<Socket, Routed>();
  readonly #answered = new WeakSet<ServerResponse>();

  track(routed: Routed): void {
    this.#last.set(routed.req.socket, routed);
  }

  last(socket: Socket): Routed | undefined {
    return this.#last.get(socket);
  }

  /** True when the response was written on the socket here, not by the route. */
  answered(res: ServerResponse): boolean {
    return this.#answered.has(res);
  }

  markAnswered(res: ServerResponse): void {
    this.#answered.add(res);
  }
}

export interface ClientErrorDeps {
  readonly observe: Observer;
  readonly timeouts: HttpTimeouts;
  readonly routed: RoutedRequests;
  readonly maxHeaderBytes: number;
  readonly lingering: Lingering;
}

/** The server's 'clientError' listener (Fastify's `clientErrorHandler`). */
export function clientErrorHandler(deps: ClientErrorDeps): (error: Error, socket: Socket) => void {
  // The parser stays failed and repeats its error for every later read: answer once.
  const handled = new WeakSet<Socket>();
  return (error, socket) => {
    if (handled.has(socket)) return;
    handled.add(socket);
    const { code, reason, rawPacket, bytesParsed } = error as { code?: unknown; reason?: unknown; rawPacket?: unknown; bytesParsed?: unknown };
    const last = deps.routed.last(socket);
    const inBody = last !== undefined && !last.req.complete ? last : undefined;
    const answer = socket.writable
      ? clientErrorFor(typeof code === 'string' ? code : undefined, typeof reason === 'string' ? reason : undefined, inBody ? 'body' : 'headers', deps.timeouts, deps.maxHeaderBytes)
      : undefined;
    // Nothing to say, or the routed request's response has started: all that is left is to close.
    if (answer === undefined || inBody?.res.headersSent === true) {
      socket.destroy();
      return;
    }
    const method = inBody ? inBody.req.method : methodInPacket(Buffer.isBuffer(rawPacket) ? rawPacket : undefined, typeof bytesParsed === 'number' ? bytesParsed : undefined);
    const requestId = inBody?.requestId ?? randomUUID();
    const send = () => {
      if (socket.destroyed || !socket.writable) return void socket.destroy();
      if (inBody) deps.routed.markAnswered(inBody.res);
      // Unknown method: no body, so the response is framed right whatever the request was.
      deps.lingering.close(socket, rawErrorResponse(answer, { requestId, withBody: method !== undefined && method !== 'HEAD' }));
      deps.observe({ type: 'client-error', requestId, status: answer.status, code: answer.code, reason: typeof code === 'string' ? code : 'unknown', method, url: inBody?.url });
    };
    // An earlier request's response may still be going out on this connection: ours follows it.
    if (!inBody && last !== undefined && !last.res.writableFinished) last.res.once('close', send);
    else send();
  };
}
