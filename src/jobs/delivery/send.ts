// One HTTP attempt, within the allow-list: every address a host name resolves to is checked
// in the connection's own lookup (so a name cannot resolve to one address for the check and
// another for the connection), literal addresses before connecting. Redirects are not
// followed (an answer like any other); the whole exchange has the request's timeout; the
// answer's body is read up to a bound.
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { addressAllowed, hostAllowed, type AllowList } from '../../lib/allow-list.ts';

export interface OutboundRequest {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | undefined;
  readonly timeoutMs: number;
}

export type SendResult =
  | { readonly kind: 'response'; readonly status: number; readonly headers: Record<string, string>; readonly content: string; readonly retryAfter: string | undefined }
  | { readonly kind: 'error'; readonly refused: boolean; readonly timedOut: boolean; readonly message: string };

/** Most of an answer's body kept (net._http_response.content). */
export const MAX_CONTENT_BYTES = 1_048_576;

class RefusedTarget extends Error {}

function guardedLookup(allow: AllowList): LookupFunction {
  return ((hostname: string, options: LookupOneOptions | LookupAllOptions, callback: (e: Error | null, a: string | LookupAddress[], f?: number) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error !== null) return callback(error, []);
      const ok = hostAllowed(allow, hostname) ? addresses : addresses.filter((a) => addressAllowed(allow, a.address));
      if (ok.length === 0) return callback(new RefusedTarget(`${hostname} resolves to ${addresses.map((a) => a.address).join(', ')}, outside the allow-list (GROUNDWORK_WEBHOOK_ALLOW)`), []);
      if (options.all === true) return callback(null, ok);
      const first = ok[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  }) as LookupFunction;
}

export interface Sender {
  send(request: OutboundRequest): Promise<SendResult>;
  close(): void;
}

async function readBody(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    if (size < MAX_CONTENT_BYTES) chunks.push(chunk.subarray(0, MAX_CONTENT_BYTES - size));
    size += chunk.length;
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `isOwnFunction`: targets that are this server's own functions, which the allow-list does not govern (own-functions.ts). */
export function createSender(allow: AllowList, isOwnFunction: (url: URL) => boolean = () => false): Sender {
  const lookup = guardedLookup(allow);
  // Connections to a receiver are kept between deliveries.
  const agents = { http: new HttpAgent({ keepAlive: true, lookup }), https: new HttpsAgent({ keepAlive: true, lookup }), own: new HttpAgent({ keepAlive: true }) };
  return {
    close: () => {
      agents.http.destroy();
      agents.https.destroy();
      agents.own.destroy();
    },
    send: (req) =>
      new Promise<SendResult>((resolve) => {
        const host = req.url.hostname.replace(/^\[|\]$/g, '');
        const own = isOwnFunction(req.url);
        if (!own && ipaddr.isValid(host) && !hostAllowed(allow, host) && !addressAllowed(allow, host)) {
          resolve({ kind: 'error', refused: true, timedOut: false, message: `${host} is outside the allow-list (GROUNDWORK_WEBHOOK_ALLOW)` });
          return;
        }
        const signal = AbortSignal.timeout(req.timeoutMs);
        const https = req.url.protocol === 'https:';
        const headers: Record<string, string> = { ...req.headers };
        if (req.body !== undefined) headers['content-length'] = String(req.body.length);
        const options = own ? { method: req.method, headers, agent: agents.own, signal } : { method: req.method, headers, agent: https ? agents.https : agents.http, lookup, signal };
        const call = (https ? httpsRequest : httpRequest)(req.url, options, (res) => {
          readBody(res).then(
            (content) => {
              const flat: Record<string, string> = {};
              for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
              resolve({ kind: 'response', status: res.statusCode ?? 0, headers: flat, content, retryAfter: flat['retry-after'] });
            },
            (e: unknown) => resolve(failure(e, signal)),
          );
        });
        call.on('error', (e) => resolve(failure(e, signal)));
        call.end(req.body);
      }),
  };
}

function failure(e: unknown, signal: AbortSignal): SendResult {
  const refused = e instanceof RefusedTarget;
  const timedOut = !refused && signal.aborted;
  const message = timedOut ? 'timed out' : e instanceof Error ? e.message : String(e);
  return { kind: 'error', refused, timedOut, message };
}
