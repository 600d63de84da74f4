// The observation → metric mapping, one table row per observation kind: what each adds to
// which series.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import type { Observation } from '../events.ts';
import { createInstruments } from './instruments.ts';
import { metricsSink, QUEUE_STALE_MS } from './record.ts';

type Series = Record<string, number>;

/** A metric's values as `name{a="x",b="y"}` → value (histograms: their _count and _sum). */
async function read(registry: Registry, name: string): Promise<Series> {
  const metric = registry.getSingleMetric(name);
  assert.ok(metric, `no metric ${name}`);
  const out: Series = {};
  for (const v of (await metric.get()).values) {
    const metricName = (v as { metricName?: string }).metricName ?? name;
    if (metricName.endsWith('_bucket')) continue;
    const labels = Object.entries(v.labels)
      .map(([k, x]) => `${k}="${String(x)}"`)
      .join(',');
    out[`${metricName}{${labels}}`] = v.value;
  }
  return out;
}

function fresh() {
  const registry = new Registry();
  let now = 1_000_000;
  const sink = metricsSink(createInstruments(registry), () => now);
  return { registry, sink, advance: (ms: number) => (now += ms), now: () => now };
}

const request = (url: string, status: number, extra: Partial<Extract<Observation, { type: 'request' }>> = {}): Observation => ({
  type: 'request',
  requestId: extra.requestId ?? 'r1',
  method: extra.method ?? 'GET',
  url,
  status,
  ms: extra.ms ?? 12,
  bytes: 10,
});

const cases: ReadonlyArray<{ name: string; events: Observation[]; metric: string; expect: Series }> = [
  {
    name: 'requests by family, method and status',
    events: [request('/rest/v1/posts?select=*', 200), request('/rest/v1/posts', 200), request('/auth/v1/token?grant_type=password', 400, { method: 'POST' }), request('/nope', 404, { method: 'PROPFIND' })],
    metric: 'groundwork_http_requests_total',
    expect: {
      'groundwork_http_requests_total{family="rest",method="GET",status="200"}': 2,
      'groundwork_http_requests_total{family="auth",method="POST",status="400"}': 1,
      'groundwork_http_requests_total{family="other",method="other",status="404"}': 1,
    },
  },
  {
    name: 'a request refused below routing counts as a request',
    events: [{ type: 'client-error', requestId: 'x', status: 431, code: 'GW431', reason: 'HPE_HEADER_OVERFLOW', method: 'GET', url: '/rest/v1/t' }],
    metric: 'groundwork_http_requests_total',
    expect: { 'groundwork_http_requests_total{family="rest",method="GET",status="431"}': 1 },
  },
  {
    name: 'latency in seconds, by family and status',
    events: [request('/health', 200, { ms: 250 }), request('/health', 200, { ms: 750 })],
    metric: 'groundwork_http_request_duration_seconds',
    expect: {
      'groundwork_http_request_duration_seconds_sum{family="health",status="200"}': 1,
      'groundwork_http_request_duration_seconds_count{family="health",status="200"}': 2,
    },
  },
  {
    name: 'aborted requests',
    events: [{ type: 'request-aborted', requestId: 'a', method: 'GET', url: '/functions/v1/slow', ms: 5 }],
    metric: 'groundwork_http_requests_aborted_total',
    expect: { 'groundwork_http_requests_aborted_total{family="functions"}': 1 },
  },
  {
    name: 'schema cache loads by source, and failures',
    events: [
      { type: 'schema-cache-loaded', relations: 3, routines: 1, ms: 40, reason: 'start', source: 'snapshot' },
      { type: 'schema-cache-loaded', relations: 3, routines: 1, ms: 60, reason: 'notify', source: 'database' },
      { type: 'schema-cache-failed', reason: 'notify', error: 'boom' },
    ],
    metric: 'groundwork_schema_cache_loads_total',
    expect: { 'groundwork_schema_cache_loads_total{source="snapshot"}': 1, 'groundwork_schema_cache_loads_total{source="database"}': 1 },
  },
  {
    name: 'realtime frames add up across reports',
    events: [
      { type: 'realtime-traffic', connections: 2, messagesIn: 3, messagesOut: 5 },
      { type: 'realtime-traffic', connections: 1, messagesIn: 0, messagesOut: 4 },
    ],
    metric: 'groundwork_realtime_messages_total',
    expect: { 'groundwork_realtime_messages_total{direction="in"}': 3, 'groundwork_realtime_messages_total{direction="out"}': 9 },
  },
  {
    name: 'realtime connections are the last report',
    events: [
      { type: 'realtime-traffic', connections: 2, messagesIn: 0, messagesOut: 0 },
      { type: 'realtime-traffic', connections: 1, messagesIn: 0, messagesOut: 0 },
    ],
    metric: 'groundwork_realtime_connections',
    expect: { 'groundwork_realtime_connections{}': 1 },
  },
  {
    name: 'function invocations: known names only, gateway failures by code',
    events: [
      { type: 'function-worker', name: 'hello', event: 'started', pid: 1 },
      request('/functions/v1/hello', 200, { requestId: 'a' }),
      request('/functions/v1/hello/sub?x=1', 404, { requestId: 'b' }),
      request('/functions/v1/hello', 500, { requestId: 'c' }),
      { type: 'function-failed', name: 'hello', requestId: 'd', code: 'WORKER_LIMIT', message: 'cpu' },
      request('/functions/v1/hello', 546, { requestId: 'd' }),
      request('/functions/v1/made-up', 404, { requestId: 'e' }),
    ],
    metric: 'groundwork_function_invocations_total',
    expect: {
      'groundwork_function_invocations_total{function="hello",outcome="success"}': 1,
      'groundwork_function_invocations_total{function="hello",outcome="client_error"}': 1,
      'groundwork_function_invocations_total{function="hello",outcome="error"}': 1,
      'groundwork_function_invocations_total{function="hello",outcome="worker_limit"}': 1,
    },
  },
  {
    name: 'webhook deliveries by webhook and outcome (net.http_* calls share one name)',
    events: [
      { type: 'http-delivery', id: '1', webhook: 'on_insert', method: 'POST', url: 'http://x', attempt: 1, status: 200, ms: 5, outcome: 'succeeded' },
      { type: 'http-delivery', id: '2', webhook: 'on_insert', method: 'POST', url: 'http://x', attempt: 1, status: 500, ms: 5, outcome: 'pending', retryInMs: 5000 },
      { type: 'http-delivery', id: '3', webhook: null, method: 'GET', url: 'http://y', attempt: 3, status: null, ms: 5, outcome: 'dead', error: 'refused' },
    ],
    metric: 'groundwork_http_deliveries_total',
    expect: {
      'groundwork_http_deliveries_total{webhook="on_insert",outcome="succeeded"}': 1,
      'groundwork_http_deliveries_total{webhook="on_insert",outcome="pending"}': 1,
      'groundwork_http_deliveries_total{webhook="net.http",outcome="dead"}': 1,
    },
  },
  {
    name: 'queue depth as last reported',
    events: [
      { type: 'queue-depth', queue: 'jobs', length: 7, oldestAgeSeconds: 30 },
      { type: 'queue-depth', queue: 'jobs', length: 4, oldestAgeSeconds: 12 },
    ],
    metric: 'groundwork_queue_messages',
    expect: { 'groundwork_queue_messages{queue="jobs"}': 4 },
  },
  {
    name: 'cron runs by job (its name, else its id) and status',
    events: [
      { type: 'cron-run', jobid: '1', jobname: 'nightly', runid: '10', status: 'succeeded', ms: 100, lateMs: 20 },
      { type: 'cron-run', jobid: '2', jobname: null, runid: '11', status: 'failed', ms: 100, lateMs: 20, error: 'x' },
    ],
    metric: 'groundwork_cron_runs_total',
    expect: { 'groundwork_cron_runs_total{job="nightly",status="succeeded"}': 1, 'groundwork_cron_runs_total{job="2",status="failed"}': 1 },
  },
];

describe('observations → metrics', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { registry, sink, now } = fresh();
      for (const e of c.events) sink.observe(e);
      sink.prepare(now());
      assert.deepEqual(await read(registry, c.metric), c.expect);
    });
  }

  it('a queue no longer reported reads as empty', async () => {
    const { registry, sink, advance, now } = fresh();
    sink.observe({ type: 'queue-depth', queue: 'jobs', length: 7, oldestAgeSeconds: 30 });
    advance(QUEUE_STALE_MS - 1);
    sink.prepare(now());
    assert.deepEqual(await read(registry, 'groundwork_queue_messages'), { 'groundwork_queue_messages{queue="jobs"}': 7 });
    advance(1);
    sink.prepare(now());
    assert.deepEqual(await read(registry, 'groundwork_queue_messages'), { 'groundwork_queue_messages{queue="jobs"}': 0 });
    assert.deepEqual(await read(registry, 'groundwork_queue_oldest_message_age_seconds'), { 'groundwork_queue_oldest_message_age_seconds{queue="jobs"}': 0 });
  });

  it('hands requests over in batches, and all of them before a scrape', async () => {
    const { registry, sink, now } = fresh();
    for (let i = 0; i < 300; i++) sink.observe(request('/rest/v1/t', 200, { ms: 2 }));
    const key = 'groundwork_http_requests_total{family="rest",method="GET",status="200"}';
    assert.equal((await read(registry, 'groundwork_http_requests_total'))[key], 256);
    sink.prepare(now());
    assert.equal((await read(registry, 'groundwork_http_requests_total'))[key], 300);
    const durations = await read(registry, 'groundwork_http_request_duration_seconds');
    assert.equal(durations['groundwork_http_request_duration_seconds_count{family="rest",status="200"}'], 300);
    assert.ok(Math.abs((durations['groundwork_http_request_duration_seconds_sum{family="rest",status="200"}'] ?? 0) - 0.6) < 1e-9);
  });

  it('ignores observations it has no metric for', async () => {
    const { registry, sink } = fresh();
    sink.observe({ type: 'listening', url: 'http://x', ms: 1 });
    assert.deepEqual(await read(registry, 'groundwork_http_requests_total'), {});
  });

  it('serves the process metrics and the groundwork names in Prometheus text', async () => {
    const { registry } = fresh();
    const text = await registry.metrics();
    assert.match(text, /^# TYPE process_cpu_seconds_total counter$/m);
    assert.match(text, /^# TYPE groundwork_http_request_duration_seconds histogram$/m);
    for (const line of text.split('\n').filter((l) => l.startsWith('# TYPE groundwork_'))) {
      const [, , name, type] = line.split(' ');
      if (type === 'counter') assert.match(name as string, /_total$/, `${name} is a counter`);
    }
  });
});
