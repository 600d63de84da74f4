// A generic SMS provider: POSTs each message as JSON to a URL the project runs (or a relay
// such as a serverless function in front of any SMS service), optionally signed with
// HMAC-SHA256 of the exact body so the receiver can tell the request came from Groundwork.
import { createHmac } from 'node:crypto';
import { post, type Fetch, type HttpRequest } from './http.ts';
import type { OutgoingSms, SmsProvider } from './provider.ts';

export interface WebhookConfig {
  readonly url: string;
  readonly secret: string | undefined;
}

export const SIGNATURE_HEADER = 'x-groundwork-signature';

/** `sha256=<hex HMAC-SHA256 of body>`, the header value a receiver recomputes with the shared secret. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function webhookRequest(config: WebhookConfig, sms: OutgoingSms): HttpRequest {
  const body = JSON.stringify({ to: `+${sms.to}`, body: sms.body, id: sms.id });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (config.secret !== undefined) headers[SIGNATURE_HEADER] = signature(config.secret, body);
  return { url: config.url, headers, body };
}

export function webhookProvider(config: WebhookConfig, fetchFn?: Fetch): SmsProvider {
  return { name: 'webhook', send: (sms) => post(webhookRequest(config, sms), fetchFn) };
}
