// Reads the HTTP/1.1 responses in the bytes a raw-socket case got back, framing each body by
// its method, status, Content-Length or chunked encoding, so a HEAD answer that carries a
// body, or a body longer than announced, shows up as leftover bytes.

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyLength: number;
}

export interface Parsed {
  readonly responses: RawResponse[];
  /** Bytes not part of a complete response. */
  readonly leftover: number;
}

function chunkedLength(buf: Buffer, from: number): number | undefined {
  let at = from;
  for (;;) {
    const eol = buf.indexOf('\r\n', at);
    if (eol < 0) return undefined;
    const size = Number.parseInt(buf.toString('latin1', at, eol).split(';')[0] ?? '', 16);
    if (!Number.isFinite(size)) return undefined;
    at = eol + 2;
    if (size === 0) {
      // Trailers end with an empty line.
      const end = buf.indexOf('\r\n\r\n', at - 2);
      return end < 0 ? undefined : end + 4 - from;
    }
    if (buf.length < at + size + 2) return undefined;
    at += size + 2;
  }
}

export function parseResponses(buf: Buffer, methods: readonly string[], closed: boolean): Parsed {
  const responses: RawResponse[] = [];
  let at = 0;
  while (at < buf.length) {
    const end = buf.indexOf('\r\n\r\n', at);
    if (end < 0) break;
    const lines = buf.toString('latin1', at, end).split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
    if (m === null) break;
    const status = Number(m[1]);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const bodyAt = end + 4;
    if (status >= 100 && status < 200) {
      at = bodyAt; // interim (100 Continue): the final answer follows
      continue;
    }
    const method = methods[responses.length] ?? 'GET';
    let length: number | undefined;
    if (method === 'HEAD' || status === 204 || status === 304) length = 0;
    else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) length = chunkedLength(buf, bodyAt);
    else if (headers['content-length'] !== undefined) length = Number(headers['content-length']);
    else length = closed ? buf.length - bodyAt : undefined; // read until close
    if (length === undefined || !Number.isFinite(length) || buf.length < bodyAt + length) break;
    responses.push({ status, headers, bodyLength: length });
    at = bodyAt + length;
  }
  return { responses, leftover: buf.length - at };
}
