// A claimed request as it goes on the wire (pure but for the signature's clock, passed in):
// pg_net's params become the query string, header values become text, and a database
// webhook is signed the Standard Webhooks way (webhook-id stays the same across attempts,
// webhook-timestamp is this attempt's) over the exact bytes sent.
import { Webhook } from 'standardwebhooks';
import type { ClaimedRequest } from './claims.ts';
import type { OutboundRequest } from './send.ts';

const USER_AGENT = 'Groundwork';

export function outboundRequest(row: ClaimedRequest, projectSecret: string, now: Date): OutboundRequest {
  const url = new URL(row.url);
  for (const [k, v] of Object.entries(row.params)) url.searchParams.append(k, typeof v === 'string' ? v : JSON.stringify(v));
  const headers: Record<string, string> = { 'user-agent': USER_AGENT };
  for (const [k, v] of Object.entries(row.headers)) headers[k.toLowerCase()] = typeof v === 'string' ? v : JSON.stringify(v);
  const body = row.body === null ? undefined : Buffer.from(row.body, 'base64');
  if (row.webhook !== null) {
    const signature = new Webhook(row.secret ?? projectSecret).sign(row.messageId, now, body ?? '');
    headers['webhook-id'] = row.messageId;
    headers['webhook-timestamp'] = String(Math.floor(now.getTime() / 1000));
    headers['webhook-signature'] = signature;
  }
  return { method: row.method, url, headers, body, timeoutMs: row.timeoutMs };
}

/** The URL as logged: no query string (it may carry keys). */
export function loggedUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}
