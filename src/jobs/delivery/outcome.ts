// What one attempt's result means for its request (pure). Database webhooks follow Standard
// Webhooks: any answer but 2xx is a failure to retry, and 410 Gone stops at once. Calls made
// with net.http_* are API calls: their answer is the result (kept in net._http_response),
// and only answers that say "try again later" (408, 429, 5xx) are retried. A failure to
// connect or a timeout is retried either way; a target the allow-list refuses never is.

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseMs: number;
  readonly maxMs: number;
}

export type AttemptResult =
  | { readonly kind: 'response'; readonly status: number; readonly retryAfter: string | undefined }
  | { readonly kind: 'error'; readonly refused: boolean };

export type Outcome =
  | { readonly state: 'succeeded' | 'failed' | 'dead' }
  | { readonly state: 'pending'; readonly delayMs: number };

const RETRYABLE_ANSWERS = new Set([408, 429]);

/** Milliseconds before retrying after failed attempt `attempt` (1-based): exponential, capped, with "equal jitter" (half fixed, half random). */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const full = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(30, attempt - 1));
  return Math.round(full / 2 + (full / 2) * random());
}

/** A Retry-After header (seconds or an HTTP date) in milliseconds from `now`, when it is one. */
export function retryAfterMs(header: string | undefined, now: number): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function outcomeOf(result: AttemptResult, ctx: { readonly webhook: boolean; readonly attempt: number; readonly policy: RetryPolicy; readonly now: number; readonly random?: () => number }): Outcome {
  let retry: boolean;
  let asked: number | undefined;
  if (result.kind === 'error') {
    if (result.refused) return { state: 'dead' };
    retry = true;
  } else {
    const { status } = result;
    if (status >= 200 && status < 300) return { state: 'succeeded' };
    if (ctx.webhook && status === 410) return { state: 'dead' };
    retry = ctx.webhook || status >= 500 || RETRYABLE_ANSWERS.has(status);
    if (!retry) return { state: 'failed' };
    asked = retryAfterMs(result.retryAfter, ctx.now);
  }
  if (retry && ctx.attempt >= ctx.policy.maxAttempts) return { state: ctx.webhook ? 'dead' : 'failed' };
  // A receiver's Retry-After is honoured, within the policy's longest wait.
  const delayMs = asked !== undefined ? Math.min(asked, ctx.policy.maxMs) : backoffMs(ctx.attempt, ctx.policy, ctx.random);
  return { state: 'pending', delayMs };
}
