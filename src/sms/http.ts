// The HTTP side of the built-in SMS providers: one bounded POST whose 2xx answer means the
// provider took the message. Requests are built by pure functions (webhook.ts, twilio.ts)
// so they can be checked without a network; `fetch` is injectable for the same reason.
import { PermanentDeliveryError } from '../outbox/claims.ts';

export interface HttpRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export type Fetch = typeof fetch;

/** Well inside an outbox claim's lease (src/outbox/claims.ts), so a slow provider cannot get a row sent twice. */
export const SMS_TIMEOUT_MS = 10_000;
const SHOWN_BODY = 300;

/** Posts `request`; resolves with the provider's message id (`message_id` or `sid` in a JSON answer), rejects on a non-2xx answer or a timeout. */
export async function post(request: HttpRequest, fetchFn: Fetch = fetch): Promise<string | undefined> {
  const res = await fetchFn(request.url, { method: 'POST', headers: request.headers, body: request.body, signal: AbortSignal.timeout(SMS_TIMEOUT_MS) });
  const text = await res.text();
  if (res.status < 200 || res.status > 299) {
    const message = `HTTP ${res.status}${text === '' ? '' : `: ${text.slice(0, SHOWN_BODY)}`}`;
    throw isFinalRefusal(res.status) ? new PermanentDeliveryError(message) : new Error(message);
  }
  return providerId(text);
}

/** A 4xx answer refuses the message itself (a bad number, bad credentials), so retrying cannot help; 408 and 429 may pass later, as may 5xx. */
export const isFinalRefusal = (status: number): boolean => status >= 400 && status < 500 && status !== 408 && status !== 429;

/** The message id in a provider's answer, when it is JSON with a text or number `message_id` or `sid`. */
export function providerId(text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const o = value as Record<string, unknown>;
  const id = o['message_id'] ?? o['sid'];
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}
