import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backoffMs, outcomeOf, retryAfterMs, type AttemptResult, type Outcome } from './outcome.ts';

const policy = { maxAttempts: 5, baseMs: 1000, maxMs: 60_000 };
const now = Date.parse('2026-12-03T12:00:00Z');
const answer = (status: number, retryAfter?: string): AttemptResult => ({ kind: 'response', status, retryAfter });

describe('delivery outcomes', () => {
  const cases: ReadonlyArray<readonly [string, AttemptResult, boolean, number, Outcome]> = [
    ['2xx succeeds', answer(204), true, 1, { state: 'succeeded' }],
    ['a webhook retries a 400', answer(400), true, 1, { state: 'pending', delayMs: 1000 }],
    ['a webhook stops at 410 Gone', answer(410), true, 1, { state: 'dead' }],
    ['a webhook is dead after its last attempt', answer(500), true, 5, { state: 'dead' }],
    ['an API call takes a 404 as its answer', answer(404), false, 1, { state: 'failed' }],
    ['an API call retries a 503', answer(503), false, 2, { state: 'pending', delayMs: 2000 }],
    ['an API call retries a 429, honouring Retry-After', answer(429, '7'), false, 1, { state: 'pending', delayMs: 7000 }],
    ['Retry-After is capped by the longest wait', answer(503, '86400'), true, 1, { state: 'pending', delayMs: 60_000 }],
    ['an API call fails after its last attempt', answer(502), false, 5, { state: 'failed' }],
    ['a connection error is retried', { kind: 'error', refused: false }, false, 3, { state: 'pending', delayMs: 4000 }],
    ['a refused target is dead at once', { kind: 'error', refused: true }, true, 1, { state: 'dead' }],
  ];
  for (const [name, result, webhook, attempt, want] of cases) {
    it(name, () => assert.deepEqual(outcomeOf(result, { webhook, attempt, policy, now, random: () => 1 }), want));
  }

  it('backs off exponentially with jitter, capped', () => {
    assert.deepEqual([1, 2, 3, 4].map((n) => backoffMs(n, policy, () => 0)), [500, 1000, 2000, 4000]);
    assert.equal(backoffMs(20, policy, () => 1), 60_000);
    assert.equal(backoffMs(10_000, policy, () => 0.5), 45_000);
  });

  it('reads Retry-After as seconds or as a date', () => {
    assert.equal(retryAfterMs('120', now), 120_000);
    assert.equal(retryAfterMs('Thu, 03 Dec 2026 12:00:30 GMT', now), 30_000);
    assert.equal(retryAfterMs('soon', now), undefined);
    assert.equal(retryAfterMs(undefined, now), undefined);
  });
});
