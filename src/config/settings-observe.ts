// Metrics (Prometheus text at /metrics) and traces (OpenTelemetry, OTLP/HTTP). Part of the one
// settings table in settings.ts. The tracing settings keep OpenTelemetry's own variable names,
// so a deployment configured for other OpenTelemetry services configures this one too.
import { z } from 'zod';
import { bool } from './schemas.ts';

/** `OTEL_EXPORTER_OTLP_HEADERS`: `key=value` pairs, comma-separated, values percent-encoded (the OTLP exporter spec). */
export function parseOtlpHeaders(text: string): { ok: true; headers: Record<string, string> } | { ok: false; error: string } {
  const headers: Record<string, string> = {};
  for (const pair of text.split(',')) {
    if (pair.trim() === '') continue;
    const at = pair.indexOf('=');
    const name = (at < 0 ? pair : pair.slice(0, at)).trim();
    if (at < 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return { ok: false, error: 'must be key=value pairs separated by commas' };
    try {
      headers[name.toLowerCase()] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      return { ok: false, error: `has a badly percent-encoded value for ${name}` };
    }
  }
  return { ok: true, headers };
}

export const observeSettings = {
  metrics: {
    env: 'GROUNDWORK_METRICS',
    flag: 'metrics',
    default: 'true',
    doc: 'Serve Prometheus metrics at `GET /metrics` (requests per API family, database pool, realtime, functions, webhooks, queues, cron, outbox lag, the process). Answered only with the service_role key (`apikey` or `Authorization: Bearer`) or `GROUNDWORK_METRICS_TOKEN`. Each node serves its own.',
    schema: bool,
  },
  metricsToken: {
    env: 'GROUNDWORK_METRICS_TOKEN',
    flag: 'metrics-token',
    default: '(none: the service_role key only)',
    doc: 'A bearer token for `/metrics` besides the service_role key, for a scraper that should not hold that key (`Authorization: Bearer <token>`), at least 16 characters.',
    schema: z.string().trim().min(16, 'must be at least 16 characters long'),
  },
  otlpEndpoint: {
    env: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    flag: 'otlp-endpoint',
    default: '(unset: tracing off)',
    doc: 'Turns tracing on: an OpenTelemetry collector\'s OTLP/HTTP base URL (e.g. `http://localhost:4318`); spans (one per HTTP request, its transactions and statements) are sent as JSON to `<url>/v1/traces` in batches. An incoming `traceparent` is honoured; a traced request\'s answer carries `traceresponse` and its log line `traceId`.',
    schema: z
      .string()
      .trim()
      .refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), 'must be an http:// or https:// URL'),
  },
  traceSampleRatio: {
    env: 'GROUNDWORK_TRACE_SAMPLE_RATIO',
    flag: 'trace-sample-ratio',
    default: '(embedded: 1; server: 0.1)',
    doc: 'The share of requests traced (0 to 1) among those without a `traceparent`, chosen at random; a request that brings a `traceparent` is traced if its caller sampled it. A request not traced costs next to nothing and has no trace id. A server samples a tenth by default: tracing every request cost it about a quarter of its REST throughput (`OBSERVE=1 SAMPLE_RATIO=1 npm run bench`).',
    schema: z
      .string()
      .trim()
      .regex(/^(0|1|0?\.\d+|1\.0*)$/, 'must be a number from 0 to 1')
      .transform(Number),
  },
  traceAsyncContext: {
    env: 'GROUNDWORK_TRACE_ASYNC_CONTEXT',
    flag: 'trace-async-context',
    default: 'false',
    doc: 'With tracing on, also follow each request through its asynchronous work (AsyncLocalStorage): spans for all its database work, Auth\'s included (otherwise REST\'s only), and `traceId` on every log line it writes (otherwise its request line). Costs about a tenth of REST throughput on Node 20 (promise hooks); far less on Node 24.',
    schema: bool,
  },
  otelServiceName: {
    env: 'OTEL_SERVICE_NAME',
    flag: 'otel-service-name',
    default: 'groundwork',
    doc: 'The `service.name` spans are reported under.',
    schema: z.string().trim().min(1, 'must not be empty'),
  },
  otlpHeaders: {
    env: 'OTEL_EXPORTER_OTLP_HEADERS',
    flag: 'otlp-headers',
    default: '(none)',
    doc: 'Headers sent with every span export, `key=value` pairs separated by commas (values percent-encoded), e.g. a collector\'s API key.',
    schema: z.string().transform((s, ctx) => {
      const parsed = parseOtlpHeaders(s);
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', message: parsed.error });
        return z.NEVER;
      }
      return parsed.headers;
    }),
  },
};
