// Judges one outcome. A failure is a 5xx, a connection error (reset, hang-up, a response
// node:http cannot parse), a timeout, or an unreadable answer (a body cut short, JSON that
// does not parse, invalid UTF-8, bytes left over after the responses of a raw case).
import type { FuzzCase } from './case.ts';
import type { Outcome } from './send.ts';

export type FailureKind = '5xx' | 'connection' | 'timeout' | 'unreadable';

export interface Verdict {
  readonly kind: FailureKind;
  readonly detail: string;
}

const JSON_TYPE = /^application\/(?:[\w.+-]*\+)?json\b/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function judge(c: FuzzCase, o: Outcome): Verdict | undefined {
  if (o.kind === 'raw') {
    if (o.error?.startsWith('timeout') === true) return { kind: 'timeout', detail: o.error };
    if (o.responses.length === 0) return { kind: 'connection', detail: o.error ?? `no response (${o.received} bytes back, socket ${o.closed ? 'closed' : 'open'})` };
    const bad = o.responses.find((r) => r.status >= 500);
    if (bad !== undefined) return { kind: '5xx', detail: `status ${bad.status}` };
    if (o.leftover > 0) return { kind: 'unreadable', detail: `${o.leftover} bytes after ${o.responses.length} complete response(s) (a body on HEAD, or wrong framing)` };
    const last = o.responses[o.responses.length - 1];
    const expected = c.kind === 'raw' ? c.methods.length : 1;
    if (o.responses.length < expected && last?.headers['connection']?.toLowerCase() !== 'close') {
      return { kind: 'connection', detail: `${o.responses.length} of ${expected} pipelined requests answered, then the socket closed without Connection: close` };
    }
    return undefined;
  }
  if (o.unsendable !== undefined) return undefined;
  if (o.error !== undefined) {
    if (o.error.startsWith('timeout')) return { kind: 'timeout', detail: o.error };
    return { kind: o.status === undefined ? 'connection' : 'unreadable', detail: o.error };
  }
  const status = o.status ?? 0;
  if (status >= 500) return { kind: '5xx', detail: `status ${status}` };
  const body = o.body ?? Buffer.alloc(0);
  const method = c.kind === 'http' ? c.method : 'GET';
  if ((method === 'HEAD' || status === 204 || status === 304) && body.length > 0) return { kind: 'unreadable', detail: `${body.length} body bytes on ${method} ${status}` };
  const type = String(o.headers?.['content-type'] ?? '');
  if (JSON_TYPE.test(type) && body.length > 0) {
    try {
      JSON.parse(utf8.decode(body));
    } catch (e) {
      return { kind: 'unreadable', detail: `content-type ${type} but the body is not JSON: ${e instanceof Error ? e.message : String(e)}` };
    }
  }
  return undefined;
}
