// What the core answers to requests Node's parser refuses or that arrive too slowly: the
// error per Node code, the method read from the raw bytes (no body after HEAD, none when
// unknown), and the bytes of the response itself.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkingInterval, clientErrorFor, methodInPacket, rawErrorResponse } from './client-errors.ts';
import { coreErrors } from '../errors/core-catalogue.ts';

const timeouts = { headersMs: 10_000, requestMs: 30_000 };

describe('clientErrorFor', () => {
  const cases: Array<[string | undefined, 'headers' | 'body', number | undefined, string | undefined, string | undefined]> = [
    // Node code, phase, status, code, message
    ['HPE_INVALID_URL', 'headers', 400, 'GW400', 'Malformed request URL'],
    ['HPE_INVALID_METHOD', 'headers', 400, 'GW400', 'Malformed request line'],
    ['HPE_INVALID_HEADER_TOKEN', 'headers', 400, 'GW400', 'Malformed request headers'],
    ['HPE_INVALID_TRANSFER_ENCODING', 'headers', 400, 'GW400', 'Malformed request headers'],
    ['HPE_UNEXPECTED_CONTENT_LENGTH', 'headers', 400, 'GW400', 'Malformed request headers'],
    ['HPE_INVALID_CHUNK_SIZE', 'body', 400, 'GW400', 'Malformed request body framing'],
    ['HPE_HEADER_OVERFLOW', 'headers', 431, 'GW431', 'Request line and headers are too large'],
    ['HPE_CHUNK_EXTENSIONS_OVERFLOW', 'body', 413, 'GW413', 'Request body chunk extensions are too large'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 'headers', 408, 'GW408', 'The request headers did not arrive within 10000 ms'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 'body', 408, 'GW408', 'The request with its body did not arrive within 30000 ms'],
    ['HPE_INVALID_EOF_STATE', 'body', undefined, undefined, undefined],
    ['ECONNRESET', 'headers', undefined, undefined, undefined],
    [undefined, 'headers', undefined, undefined, undefined],
  ];
  for (const [code, phase, status, gw, message] of cases) {
    it(`${code ?? '(no code)'} while reading the ${phase}`, () => {
      const e = clientErrorFor(code, 'reason text', phase, timeouts, 16384);
      assert.deepEqual(e && [e.status, e.code, e.body.message], status === undefined ? undefined : [status, gw, message]);
    });
  }

  it('names the request timeout when there is no headers timeout', () => {
    assert.equal(clientErrorFor('ERR_HTTP_REQUEST_TIMEOUT', undefined, 'headers', { headersMs: 0, requestMs: 5000 }, 16384)?.body.hint, 'Raise GROUNDWORK_REQUEST_TIMEOUT_MS for slower clients');
  });

  it("gives Node's reason as details, and the header bound for 431", () => {
    assert.equal(clientErrorFor('HPE_INVALID_URL', 'Invalid char in url path', 'headers', timeouts, 16384)?.body.details, 'Invalid char in url path');
    assert.equal(clientErrorFor('HPE_HEADER_OVERFLOW', 'Header overflow', 'headers', timeouts, 8192)?.body.details, 'The URL and headers together must fit in 8192 bytes');
  });
});

describe('methodInPacket', () => {
  const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
  const cases: Array<[string, Buffer, number | undefined, string | undefined]> = [
    ['a HEAD with a raw byte in its target', bytes('HEAD /x', [0xff], ' HTTP/1.1\r\nHost: a\r\n\r\n'), 7, 'HEAD'],
    ['a GET with a raw byte in its target', bytes('GET /x', [0x80], ' HTTP/1.1\r\n\r\n'), 6, 'GET'],
    ['headers too large, all in one read', bytes(`POST / HTTP/1.1\r\nX: ${'a'.repeat(100)}`), 100, 'POST'],
    ['after a pipelined request', bytes('GET / HTTP/1.1\r\nHost: a\r\n\r\nHEAD /x', [0xff], ' HTTP/1.1\r\n\r\n'), 34, 'HEAD'],
    ['the rest of headers begun in an earlier read', bytes(`${'a'.repeat(50)}\r\n\r\n`), 20, undefined],
    ['a header value that looks like words', bytes('some words here\r\n\r\n'), 10, undefined],
    ['a request line cut off', bytes('GET /aaaa'), 9, undefined],
    ['no request line (an invalid method)', bytes('G@T / HTTP/1.1\r\n\r\n'), 1, undefined],
  ];
  for (const [name, packet, parsed, method] of cases) {
    it(name, () => assert.equal(methodInPacket(packet, parsed), method));
  }
  it('is unknown without a packet (a timeout)', () => assert.equal(methodInPacket(undefined, undefined), undefined));
});

describe('rawErrorResponse', () => {
  const parse = (b: Buffer) => {
    const text = b.toString('latin1');
    const end = text.indexOf('\r\n\r\n');
    const [status = '', ...lines] = text.slice(0, end).split('\r\n');
    const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 2)]));
    return { status, headers, body: text.slice(end + 4) };
  };

  it('is a whole response with a JSON body of the length it declares, closing the connection', () => {
    const r = parse(rawErrorResponse(coreErrors.headersTooLarge(16384), { requestId: 'rid-1', withBody: true }));
    assert.equal(r.status, 'HTTP/1.1 431 Request Header Fields Too Large');
    assert.equal(Number(r.headers['content-length']), Buffer.byteLength(r.body));
    assert.deepEqual(JSON.parse(r.body), { code: 'GW431', message: 'Request line and headers are too large', details: 'The URL and headers together must fit in 16384 bytes', hint: null });
    assert.equal(r.headers['connection'], 'close');
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(r.headers['x-request-id'], 'rid-1');
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
  });

  it('has no body when told so (HEAD, or a method it could not read)', () => {
    const r = parse(rawErrorResponse(coreErrors.badUrl('x'), { requestId: 'rid-2', withBody: false }));
    assert.equal(r.status, 'HTTP/1.1 400 Bad Request');
    assert.equal(r.headers['content-length'], '0');
    assert.equal(r.body, '');
  });
});

describe('checkingInterval', () => {
  it('checks often enough to cut a request within a quarter of its timeout, at most every second', () => {
    assert.equal(checkingInterval({ headersMs: 10_000, requestMs: 30_000 }), 1000);
    assert.equal(checkingInterval({ headersMs: 400, requestMs: 1000 }), 100);
    assert.equal(checkingInterval({ headersMs: 0, requestMs: 2000 }), 500);
    assert.equal(checkingInterval({ headersMs: 0, requestMs: 0 }), 30_000);
  });
});
