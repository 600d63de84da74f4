// Requests below what node:http will send: raw bytes on a socket (NUL and control bytes in
// headers, invalid UTF-8 in the request line, conflicting framing, pipelined HEAD then GET
// to catch a HEAD response that leaks a body, obsolete line folding…), and odd-but-sendable
// requests to any route (CORS preflights, huge or many headers, chunked bodies).
import type { HttpCase, RawCase } from '../case.ts';
import type { Rng } from '../prng.ts';
import type { Credentials } from './tokens.ts';
import { oddString, pct } from './values.ts';

const ROUTES = ['/health', '/rest/v1/books?select=id,title&limit=2', '/rest/v1/', '/rest/v1/rpc/hello', '/rest/v1/nonsense', '/auth/v1/settings', '/auth/v1/user', '/auth/v1/nonsense', '/nonsense', '/', '/rest/v1/books?id=eq.x'];

function request(method: string, path: string, headers: readonly string[], body = '', eol = '\r\n'): string {
  return [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...headers, ...(body === '' ? [] : [`Content-Length: ${Buffer.byteLength(body, 'latin1')}`]), '', body].join(eol);
}

type RawShape = readonly [label: string, text: string, methods: readonly string[]];

export function rawCase(r: Rng, creds: Credentials): RawCase {
  const route = r.pick(ROUTES);
  const key = `apikey: ${creds.anonKey}`;
  const close = 'Connection: close';
  const shape = r.weighted<() => RawShape>([
    [3, () => ['HEAD then GET on one connection', request('HEAD', route, [key]) + request('GET', r.pick(ROUTES), [key, close]), ['HEAD', 'GET']]],
    [2, () => {
      const second = r.pick(['GET', 'HEAD', 'OPTIONS']);
      return ['three pipelined requests', request('GET', route, [key]) + request(second, r.pick(ROUTES), [key]) + request('GET', '/health', [close]), ['GET', second, 'GET']];
    }],
    [2, () => ['NUL or control byte in a header', request('GET', route, [`apikey: ${creds.anonKey.slice(0, 10)}${r.pick(['\0', '\x01', '\x7f', '\x1b'])}x`, close]), ['GET']]],
    [2, () => ['invalid UTF-8 in the request line', request('GET', `/rest/v1/books?title=eq.${r.pick(['\xff\xfe', '\xc3', '\xed\xa0\x80', '\xc0\x80', '\x80'])}&select=${r.pick(['\xff', 'id'])}`, [key, close]), ['GET']]],
    [1, () => ['control characters in the path', request('GET', `/rest/v1/books?title=eq.${r.pick(['a\x01b', 'a\tb', 'a\x7fb'])}`, [key, close]), ['GET']]],
    [1, () => ['two different Content-Lengths', request('POST', '/rest/v1/rpc/echo', [key, 'Content-Type: application/json', 'Content-Length: 2', 'Content-Length: 4', close], '', '\r\n') + '{}', ['POST']]],
    [1, () => ['Content-Length and chunked together', `${request('POST', '/rest/v1/rpc/echo', [key, 'Content-Type: application/json', 'Content-Length: 4', 'Transfer-Encoding: chunked', close])}2\r\n{}\r\n0\r\n\r\n`, ['POST']]],
    [1, () => ['a bad chunk size', `${request('POST', '/rest/v1/rpc/echo', [key, 'Content-Type: application/json', 'Transfer-Encoding: chunked', close])}${r.pick(['zz', '-1', 'ffffffffffffffffff', '2;ext=1'])}\r\n{}\r\n0\r\n\r\n`, ['POST']]],
    [1, () => ['a chunked body with a trailer', `${request('POST', '/rest/v1/rpc/echo', [key, 'Content-Type: application/json', 'Transfer-Encoding: chunked', close])}1\r\n{\r\n1\r\n}\r\n0\r\nX-Trailer: 1\r\n\r\n`, ['POST']]],
    [1, () => ['a body past the limit, declared only', request('POST', r.pick(['/rest/v1/rpc/echo', '/auth/v1/signup', '/rest/v1/books']), [key, 'Content-Type: application/json', `Content-Length: ${r.pick([1048577, 999999999, 18446744073709551615n])}`, close]), ['POST']]],
    [1, () => ['absolute-form target', request('GET', `http://127.0.0.1${route}`, [key, close]), ['GET']]],
    [1, () => ['HTTP/1.0 without Host', `GET ${route} HTTP/1.0\r\n${key}\r\n\r\n`, ['GET']]],
    [1, () => ['bare LF line endings', request('GET', route, [key, close], '', '\n'), ['GET']]],
    [1, () => ['obsolete line folding', request('GET', route, ['apikey: abc', ' continued', close]), ['GET']]],
    [1, () => ['a header name with odd characters', request('GET', route, [`${r.pick(['a b', 'a(b)', 'x:y', 'é', ''])}: v`, close]), ['GET']]],
    [1, () => ['an invalid method', request(r.pick(['G\x01T', 'GET GET', 'GÉT', 'CONNECT', 'PRI']), route, [close]), ['X']]],
    [1, () => ['a request line over 16 KiB', request('GET', `/rest/v1/books?select=${'id,'.repeat(6000)}id`, [key, close]), ['GET']]],
    [1, () => ['3000 headers', request('GET', route, [...Array.from({ length: 3000 }, (_, i) => `x-h${i}: ${i}`), close]), ['GET']]],
    [1, () => ['Expect: 100-continue', request('POST', '/rest/v1/rpc/echo', [key, 'Content-Type: application/json', 'Expect: 100-continue', close], '{"a":1}'), ['POST']]],
    [1, () => ['Upgrade: websocket', request('GET', route, [key, 'Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==']), ['GET']]],
  ])();
  return { kind: 'raw', family: 'raw', label: shape[0], bytes: Buffer.from(shape[1], 'latin1'), methods: shape[2] };
}

const ORIGINS = ['http://localhost:3000', 'null', '', 'http://evil.example', 'x'.repeat(5000), 'http://ä.example'];

export function miscCase(r: Rng, creds: Credentials): HttpCase {
  const path = r.pick([...ROUTES, `/rest/v1/books?select=${pct(oddString(r))}`, `/auth/v1/${pct(oddString(r))}`, `/${pct(oddString(r))}`, '//', '/%2e%2e/', '/health?x=%ff', '/rest/v1/%ff']);
  const headers: Record<string, string | string[]> = { apikey: creds.anonKey };
  const kind = r.int(0, 7);
  let method = r.pick(['GET', 'GET', 'HEAD', 'POST', 'OPTIONS', 'DELETE']);
  let body: Buffer | undefined;
  let chunked = false;
  if (kind === 0) {
    method = 'OPTIONS';
    headers['origin'] = r.pick(ORIGINS);
    headers['access-control-request-method'] = r.pick(['GET', 'POST', 'DELETE', 'FOO', '']);
    if (r.chance(0.5)) headers['access-control-request-headers'] = r.pick(['authorization, apikey, content-type', '*', '', 'x'.repeat(r.size(5000)), 'a,,b']);
  } else if (kind === 1) {
    headers[r.pick(['x-big', 'prefer', 'accept', 'authorization', 'cookie'])] = 'v'.repeat(r.pick([8000, 17000, 70000]));
  } else if (kind === 2) {
    for (let i = r.pick([100, 1000, 2500]); i > 0; i--) headers[`x-many-${i}`] = String(i);
  } else if (kind === 3) {
    headers['cookie'] = r.pick(['a=b', 'a=%ff', '=', ';;;', 'a=b; a=c', `sb=${'c'.repeat(r.size(8000))}`, 'a="unterminated']);
  } else if (kind === 4) {
    headers['x-request-id'] = r.pick(['', 'a b', 'x'.repeat(300), '\xff\xfe', 'ok-id', '../../etc']);
  } else if (kind === 5) {
    method = 'POST';
    chunked = true;
    headers['content-type'] = 'application/json';
    body = Buffer.from(r.pick(['{"a":1}', '[]', '{', 'x'.repeat(r.size(200000))]));
  } else if (kind === 6) {
    headers[r.pick(['accept-encoding', 'content-encoding', 'transfer-encoding', 'te', 'forwarded', 'x-forwarded-host', 'x-forwarded-proto', 'via'])] = r.pick(['gzip', 'br', 'deflate, gzip;q=0', 'identity', 'compress', 'trailers', 'x', 'for=1.2.3.4;host=evil', '\xff']);
    if (headers['content-encoding'] !== undefined || headers['transfer-encoding'] !== undefined) {
      method = 'POST';
      body = Buffer.from('{"a":1}');
    }
  } else {
    headers['content-type'] = r.pick(['application/json', 'application/json; charset=utf-16', 'application/json; boundary=', 'text/csv']);
    method = r.pick(['POST', 'PUT', 'PATCH', 'DELETE']);
    body = Buffer.from(r.pick(['{}', '', '\0', '\ufeff{}']));
  }
  return { kind: 'http', family: 'misc', method, path, headers, ...(body === undefined ? {} : { body }), ...(chunked ? { chunked } : {}) };
}
