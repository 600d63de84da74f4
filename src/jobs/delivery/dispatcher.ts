// Sends what SQL queued (database webhooks and net.http_*), after commit: woken by the NOTIFY
// each queued request raises at commit (to every node) and by a sweep each second, which
// picks up retries that fell due and whatever a crash or a lost notification left. It claims
// only as many requests as it has free slots, runs at most `endpointConcurrency` at once per
// receiver (scheme, host and port) and `concurrency` in all, and records every attempt.
import type { Database, Unlisten } from '../../db/port.ts';
import type { AllowList } from '../../lib/allow-list.ts';
import type { Observer } from '../../observe/events.ts';
import { rerunnable } from '../../lib/rerun.ts';
import { claimRequests, NOTIFY_CHANNEL, recordAttempt, releaseOrphans, releaseRequests, type ClaimedRequest } from './claims.ts';
import { outcomeOf, type RetryPolicy } from './outcome.ts';
import { loggedUrl, outboundRequest } from './request.ts';
import { createSender, type SendResult } from './send.ts';

export interface DispatcherOptions {
  readonly db: Database;
  readonly allow: AllowList;
  /** This server's own functions, reachable whatever the allow-list says. */
  readonly ownFunctions?: (url: URL) => boolean;
  readonly secret: string;
  readonly policy: RetryPolicy;
  readonly concurrency: number;
  readonly endpointConcurrency: number;
  readonly observe: Observer;
  readonly sweepMs?: number;
}

export interface Dispatcher {
  wake(): void;
  /** Stops claiming and waits for the attempts under way to be recorded. */
  stop(): Promise<void>;
}

const EXCERPT = 500;
const MIN_CLAIM = 8;
const ERROR_LENGTH = 1_000;

const endpointOf = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
};

export async function startDispatcher(options: DispatcherOptions): Promise<Dispatcher> {
  const { db, observe, policy } = options;
  const sender = createSender(options.allow, options.ownFunctions);
  /** Claimed, waiting for a slot, with their receiver (parsed once). */
  const waiting: Array<{ readonly row: ClaimedRequest; readonly endpoint: string }> = [];
  const perEndpoint = new Map<string, number>();
  const underway = new Set<Promise<void>>();
  let stopped = false;

  /** `sent` frees the request's receiver slot once its answer is in, before it is recorded. */
  async function attempt(row: ClaimedRequest, sent: () => void): Promise<void> {
    const maxAttempts = row.maxAttempts ?? policy.maxAttempts;
    let url = row.url;
    let result: SendResult;
    const t0 = performance.now();
    try {
      const req = outboundRequest(row, options.secret, new Date());
      url = loggedUrl(req.url);
      result = await sender.send(req);
    } catch (e) {
      // A request SQL accepted but the wire cannot carry (a header value Node refuses): no attempt will do better.
      result = { kind: 'error', refused: true, timedOut: false, message: e instanceof Error ? e.message : String(e) };
    }
    sent();
    const latencyMs = Math.round(performance.now() - t0);
    const outcome = outcomeOf(result.kind === 'error' ? result : { kind: 'response', status: result.status, retryAfter: result.retryAfter }, {
      webhook: row.webhook !== null,
      attempt: row.try,
      policy: { ...policy, maxAttempts },
      now: Date.now(),
    });
    const retryInMs = outcome.state === 'pending' ? outcome.delayMs : 0;
    const response = result.kind === 'response' ? result : undefined;
    const error = result.kind === 'error' ? result.message.slice(0, ERROR_LENGTH) : null;
    await recordAttempt(db, {
      id: row.id,
      attempt: row.attempt,
      state: outcome.state,
      retryInMs,
      status: response?.status ?? null,
      contentType: response?.headers['content-type'] ?? null,
      headers: response?.headers ?? null,
      content: response?.content ?? null,
      timedOut: result.kind === 'error' && result.timedOut,
      error,
      latencyMs,
      excerpt: response?.content.slice(0, EXCERPT) ?? null,
    });
    observe({
      type: 'http-delivery',
      id: row.id,
      webhook: row.webhook === null ? null : `${row.webhookTable ?? '?'}.${row.webhook}`,
      method: row.method,
      url,
      attempt: row.attempt,
      status: response?.status ?? null,
      ms: latencyMs,
      outcome: outcome.state,
      ...(outcome.state === 'pending' ? { retryInMs } : {}),
      ...(error !== null ? { error } : {}),
    });
  }

  function pump(): void {
    for (let i = 0; i < waiting.length; ) {
      const { row, endpoint } = waiting[i] as { row: ClaimedRequest; endpoint: string };
      const busy = perEndpoint.get(endpoint) ?? 0;
      if (busy >= options.endpointConcurrency) {
        i++;
        continue;
      }
      waiting.splice(i, 1);
      perEndpoint.set(endpoint, busy + 1);
      let freed = false;
      const free = () => {
        if (freed) return;
        freed = true;
        const left = (perEndpoint.get(endpoint) ?? 1) - 1;
        if (left === 0) perEndpoint.delete(endpoint);
        else perEndpoint.set(endpoint, left);
        pump();
      };
      const run = attempt(row, free)
        .catch((e: unknown) => observe({ type: 'jobs-worker-failed', worker: 'http-dispatcher', error: e instanceof Error ? e.message : String(e) }))
        .finally(() => {
          underway.delete(run);
          free();
          wake();
        });
      underway.add(run);
    }
  }

  async function fill(): Promise<void> {
    while (!stopped) {
      const free = options.concurrency - underway.size - waiting.length;
      // While busy, claim in batches rather than one row per finished attempt.
      if (free <= 0 || (free < Math.min(MIN_CLAIM, options.concurrency) && underway.size > 0)) return;
      const rows = await claimRequests(db, free);
      waiting.push(...rows.map((row) => ({ row, endpoint: endpointOf(row.url) })));
      pump();
      if (rows.length < free) return;
    }
  }

  const filling = rerunnable(() => fill().catch((e: unknown) => observe({ type: 'jobs-worker-failed', worker: 'http-dispatcher', error: e instanceof Error ? e.message : String(e) })));
  const wake = filling.wake;

  if (db.mode === 'embedded') await releaseOrphans(db);
  const unlisten: Unlisten = await db.listen(NOTIFY_CHANNEL, wake);
  const sweep = setInterval(wake, options.sweepMs ?? 1_000);
  sweep.unref();
  wake();
  return {
    wake,
    stop: async () => {
      stopped = true;
      clearInterval(sweep);
      await unlisten();
      await filling.stop();
      // Claimed but not started: given back, due at once for whichever node runs next.
      const unsent = waiting.splice(0).map((w) => w.row);
      await releaseRequests(db, unsent).catch(() => undefined); // else their lease runs out and they fall due anyway
      await Promise.all(underway);
      sender.close();
    },
  };
}
