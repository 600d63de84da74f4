// What crosses the gateway: the caller's headers go to the function as Kong passes them
// (with X-Forwarded-* added), and the function's headers come back, less the hop-by-hop ones
// each connection sets for itself.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'proxy-authenticate', 'proxy-authorization']);

export interface Caller {
  readonly ip: string;
  readonly host: string | undefined;
  readonly requestId: string;
}

export function toFunction(headers: IncomingHttpHeaders, caller: Caller): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  const forwarded = headers['x-forwarded-for'];
  out['x-forwarded-for'] = forwarded === undefined ? caller.ip : `${String(forwarded)}, ${caller.ip}`;
  out['x-forwarded-proto'] ??= 'http';
  if (caller.host !== undefined) out['x-forwarded-host'] ??= caller.host;
  out['x-request-id'] = caller.requestId;
  return out;
}

export function fromFunction(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name) && name !== 'date') out[name] = value;
  return out;
}
