// One generated request. HTTP cases go through node:http; raw cases are bytes written to a
// socket, for what node:http refuses to send (NUL in headers, broken framing, pipelining).

export type Headers = Readonly<Record<string, string | readonly string[]>>;

export interface HttpCase {
  readonly kind: 'http';
  readonly family: 'rest' | 'auth' | 'misc';
  readonly method: string;
  /** Path and query as sent (already percent-encoded where meant to be). */
  readonly path: string;
  readonly headers: Headers;
  readonly body?: Buffer;
  /** Send the body with Transfer-Encoding: chunked, in a few pieces. */
  readonly chunked?: boolean;
}

export interface RawCase {
  readonly kind: 'raw';
  readonly family: 'raw';
  readonly label: string;
  readonly bytes: Buffer;
  /** The methods of the requests in `bytes`, in order: a correct server answers each (or answers 400 and closes). */
  readonly methods: readonly string[];
}

export type FuzzCase = HttpCase | RawCase;

/** A one-line description of a case, for reports. */
export function summarize(c: FuzzCase, max = 240): string {
  const cut = (s: string) => (s.length > max ? `${s.slice(0, max)}…(${s.length} chars)` : s);
  if (c.kind === 'raw') return `RAW ${c.label}: ${cut(JSON.stringify(c.bytes.toString('latin1')))}`;
  const headers = Object.entries(c.headers)
    .filter(([k]) => k !== 'apikey' && k !== 'x-request-id')
    .map(([k, v]) => `${k}: ${cut(Array.isArray(v) ? v.join(' | ') : String(v))}`);
  const body = c.body === undefined ? '' : ` body(${c.body.length} B)=${cut(JSON.stringify(c.body.toString('utf8')))}`;
  return `${c.method} ${cut(c.path)}${headers.length > 0 ? ` [${headers.join('; ')}]` : ''}${body}`;
}
