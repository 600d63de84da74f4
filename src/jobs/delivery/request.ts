// A claimed request as it goes on the wire (pure but for the signature's clock, passed in):
// pg_net's params become the query string, header values become text, and a database
// webhook is signed the Standard Webhooks way (webhook-id stays the same across attempts,
// webhook-timestamp is this attempt's) over the exact bytes sent.
import { Webhook } from 'standardwebhooks';
import type { ClaimedRequest } from './claims.ts';
import type { OutboundRequest } from './send.ts';

const USER_AGENT = 'Groundwork';

const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** Configured headers (JSON values) as sent: lower-case names, text values, after Groundwork's user agent. */
export function headersOf(configured: Readonly<Record<string, unknown>>): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': USER_AGENT };
  for (const [k, v] of Object.entries(configured)) headers[k.toLowerCase()] = text(v);
  return headers;
}

/** Adds the Standard Webhooks headers for `body` as sent, at `now`. */
export function sign(headers: Record<string, string>, secret: string, id: string, now: Date, body: Buffer | undefined): void {
  headers['webhook-id'] = id;
  headers['webhook-timestamp'] = String(Math.floor(now.getTime() / 1000));
  headers['webhook-signature'] = new Webhook(secret).sign(id, now, body ?? '');
}

export function outboundRequest(row: ClaimedRequest, projectSecret: string, now: Date): OutboundRequest {
  const url = new URL(row.url);
  for (const [k, v] of Object.entries(row.params)) url.searchParams.append(k, text(v));
  const headers = headersOf(row.headers);
  const body = row.body === null ? undefined : Buffer.from(row.body, 'base64');
  if (row.webhook !== null) sign(headers, row.secret ?? projectSecret, row.messageId, now, body);
  return { method: row.method, url, headers, body, timeoutMs: row.timeoutMs };
}

/** The URL as logged: no query string (it may carry keys). */
export function loggedUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}
