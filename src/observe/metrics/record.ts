// The observation stream → metrics: a sink start-up's hub hands every observation to. It
// must cost next to nothing per request: requests are handed to prom-client in batches
// (batch.ts), and a label set's child metric is made once and kept.
import type { Observation } from '../events.ts';
import { routeFamily } from './family.ts';
import { RequestBatches } from './batch.ts';
import { Invocations } from './functions.ts';
import type { Instruments } from './instruments.ts';

/** A queue not reported for this long has been drained (non-empty queues are reported each minute). */
export const QUEUE_STALE_MS = 150_000;

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Methods beyond the usual ones share one label value. */
export const methodLabel = (method: string | undefined): string => (method !== undefined && METHODS.has(method) ? method : 'other');

/** One child per label values, made on first use. */
function children<C>(make: (...values: string[]) => C): (...values: string[]) => C {
  const made = new Map<string, C>();
  return (...values) => {
    const key = values.join('\u0000');
    let child = made.get(key);
    if (child === undefined) {
      child = make(...values);
      made.set(key, child);
    }
    return child;
  };
}

export interface MetricsSink {
  observe(o: Observation): void;
  /** Before a scrape: the requests batched so far handed over, queues no longer reported read as empty. */
  prepare(nowMs: number): void;
}

export function metricsSink(m: Instruments, now: () => number = Date.now): MetricsSink {
  const requests = children((family, method, status) => m.httpRequests.labels(family, method, status));
  const batches = new RequestBatches(m.httpRequests, m.httpDuration);
  const aborted = children((family) => m.httpAborted.labels(family));
  const deliveries = children((webhook, outcome) => m.httpDeliveries.labels(webhook, outcome));
  const deliveryTime = children((webhook) => m.httpDeliveryDuration.labels(webhook));
  const invocations = new Invocations();
  const queuesSeen = new Map<string, number>();

  const observe = (o: Observation): void => {
    switch (o.type) {
      case 'request': {
        const family = routeFamily(o.url);
        batches.add(family, methodLabel(o.method), o.status, o.ms / 1000);
        if (family !== 'functions') return;
        const call = invocations.ofRequest(o.requestId, o.url, o.status);
        if (call === undefined) return;
        m.functionInvocations.labels(call.name, call.outcome).inc();
        m.functionDuration.labels(call.name).observe(o.ms / 1000);
        return;
      }
      case 'client-error':
        requests(routeFamily(o.url), methodLabel(o.method), String(o.status)).inc();
        return;
      case 'request-aborted':
        aborted(routeFamily(o.url)).inc();
        return;
      case 'schema-cache-loaded':
        m.schemaLoads.labels(o.source).inc();
        m.schemaLoadDuration.observe(o.ms / 1000);
        return;
      case 'schema-cache-failed':
        m.schemaLoadFailures.inc();
        return;
      case 'realtime-traffic':
        m.realtimeConnections.set(o.connections);
        if (o.messagesIn > 0) m.realtimeMessages.labels('in').inc(o.messagesIn);
        if (o.messagesOut > 0) m.realtimeMessages.labels('out').inc(o.messagesOut);
        return;
      case 'realtime-disconnect':
        m.realtimeDisconnects.labels(o.reason).inc();
        return;
      case 'function-worker':
        if (o.event !== 'started') return;
        invocations.know(o.name);
        m.functionColdStarts.labels(o.name).inc();
        return;
      case 'function-failed':
        invocations.failed(o.requestId, o.name, o.code);
        return;
      case 'http-delivery': {
        const webhook = o.webhook ?? 'net.http';
        deliveries(webhook, o.outcome).inc();
        deliveryTime(webhook).observe(o.ms / 1000);
        return;
      }
      case 'queue-depth':
        queuesSeen.set(o.queue, now());
        m.queueMessages.labels(o.queue).set(o.length);
        m.queueOldest.labels(o.queue).set(o.oldestAgeSeconds ?? 0);
        return;
      case 'cron-run': {
        const job = o.jobname ?? o.jobid;
        m.cronRuns.labels(job, o.status).inc();
        m.cronDuration.labels(job).observe(o.ms / 1000);
        m.cronDelay.observe(o.lateMs / 1000);
        return;
      }
      default:
    }
  };

  return {
    observe,
    prepare(nowMs) {
      batches.flush();
      for (const [queue, seen] of queuesSeen) {
        if (nowMs - seen < QUEUE_STALE_MS) continue;
        queuesSeen.delete(queue);
        m.queueMessages.labels(queue).set(0);
        m.queueOldest.labels(queue).set(0);
      }
    },
  };
}
