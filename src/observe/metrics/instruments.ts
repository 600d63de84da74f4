// Every metric a node reports, in its own registry (each node is scraped on its own), named
// as Prometheus asks: `groundwork_` first, units in the name, counters ending in `_total`.
// The process's own metrics (CPU, memory, event loop, GC) are prom-client's defaults.
import { collectDefaultMetrics, Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Request and statement latencies: 1 ms to 10 s. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Background work (deliveries, cron runs, schema loads): 5 ms to 2 minutes. */
const JOB_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export interface Instruments {
  readonly registry: Registry;
  readonly httpRequests: Counter<'family' | 'method' | 'status'>;
  readonly httpDuration: Histogram<'family' | 'status'>;
  readonly httpAborted: Counter<'family'>;
  readonly schemaLoads: Counter<'source'>;
  readonly schemaLoadFailures: Counter;
  readonly schemaLoadDuration: Histogram;
  readonly realtimeConnections: Gauge;
  readonly realtimeMessages: Counter<'direction'>;
  readonly realtimeDisconnects: Counter<'reason'>;
  readonly functionInvocations: Counter<'function' | 'outcome'>;
  readonly functionDuration: Histogram<'function'>;
  readonly functionColdStarts: Counter<'function'>;
  readonly httpDeliveries: Counter<'webhook' | 'outcome'>;
  readonly httpDeliveryDuration: Histogram<'webhook'>;
  readonly queueMessages: Gauge<'queue'>;
  readonly queueOldest: Gauge<'queue'>;
  readonly cronRuns: Counter<'job' | 'status'>;
  readonly cronDuration: Histogram<'job'>;
  readonly cronDelay: Histogram;
}

export function createInstruments(registry: Registry): Instruments {
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Counter({
      name: 'groundwork_http_requests_total',
      help: 'HTTP requests answered, by API family (URL prefix), method and status; refused ones (malformed, too slow) included.',
      labelNames: ['family', 'method', 'status'] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: 'groundwork_http_request_duration_seconds',
      help: 'Time from a request arriving to its answer being sent, by API family and status.',
      labelNames: ['family', 'status'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    httpAborted: new Counter({ name: 'groundwork_http_requests_aborted_total', help: 'Requests whose client left before the answer was complete, by API family.', labelNames: ['family'] as const, registers }),
    schemaLoads: new Counter({
      name: 'groundwork_schema_cache_loads_total',
      help: 'Schema cache loads (start, migrations, reloads on NOTIFY), by where it came from: introspected or the kept snapshot.',
      labelNames: ['source'] as const,
      registers,
    }),
    schemaLoadFailures: new Counter({ name: 'groundwork_schema_cache_load_failures_total', help: 'Schema cache reloads that failed (the previous cache stays).', registers }),
    schemaLoadDuration: new Histogram({ name: 'groundwork_schema_cache_load_duration_seconds', help: 'How long a schema cache load took.', buckets: JOB_BUCKETS, registers }),
    realtimeConnections: new Gauge({ name: 'groundwork_realtime_connections', help: 'Realtime sockets open on this node (updated as sockets open and close).', registers }),
    realtimeMessages: new Counter({
      name: 'groundwork_realtime_messages_total',
      help: 'Realtime frames received from and sent to clients on this node (counted as they pass, reported every few seconds).',
      labelNames: ['direction'] as const,
      registers,
    }),
    realtimeDisconnects: new Counter({ name: 'groundwork_realtime_disconnects_total', help: 'Realtime sockets the server closed, by reason.', labelNames: ['reason'] as const, registers }),
    functionInvocations: new Counter({
      name: 'groundwork_function_invocations_total',
      help: "Edge function invocations, by function and outcome: success (below 400), client_error (4xx), error (the function's 5xx), or the gateway's code when the function could not answer (boot_error, worker_limit, idle_timeout, worker_error).",
      labelNames: ['function', 'outcome'] as const,
      registers,
    }),
    functionDuration: new Histogram({
      name: 'groundwork_function_invocation_duration_seconds',
      help: 'Edge function invocation time, by function.',
      labelNames: ['function'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    functionColdStarts: new Counter({ name: 'groundwork_function_worker_starts_total', help: 'Function workers (Deno processes) started, by function.', labelNames: ['function'] as const, registers }),
    httpDeliveries: new Counter({
      name: 'groundwork_http_deliveries_total',
      help: 'Outbound HTTP attempts (database webhooks by name, `net.http` for net.http_* calls), by outcome: succeeded, pending (will retry), failed, dead.',
      labelNames: ['webhook', 'outcome'] as const,
      registers,
    }),
    httpDeliveryDuration: new Histogram({
      name: 'groundwork_http_delivery_duration_seconds',
      help: 'Outbound HTTP attempt time, by webhook.',
      labelNames: ['webhook'] as const,
      buckets: JOB_BUCKETS,
      registers,
    }),
    queueMessages: new Gauge({ name: 'groundwork_queue_messages', help: 'Messages in a queue, as last reported (each minute while it holds any).', labelNames: ['queue'] as const, registers }),
    queueOldest: new Gauge({ name: 'groundwork_queue_oldest_message_age_seconds', help: "Age of a queue's oldest message, as last reported.", labelNames: ['queue'] as const, registers }),
    cronRuns: new Counter({ name: 'groundwork_cron_runs_total', help: 'Cron job runs this node made, by job and status.', labelNames: ['job', 'status'] as const, registers }),
    cronDuration: new Histogram({ name: 'groundwork_cron_run_duration_seconds', help: 'Cron job run time, by job.', labelNames: ['job'] as const, buckets: JOB_BUCKETS, registers }),
    cronDelay: new Histogram({ name: 'groundwork_cron_run_delay_seconds', help: 'How long after its scheduled time a cron run started.', buckets: JOB_BUCKETS, registers }),
  };
}
