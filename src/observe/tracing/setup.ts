// Tracing for one server, when the config names an OTLP endpoint: a tracer provider of its
// own (no global one: several servers may share a process), spans batched and posted as
// OTLP/HTTP JSON, request spans (http.ts) and database spans (database.ts). Start-up loads
// this module only when tracing is on.
import { AlwaysOnSampler, BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import type { TracingConfig } from '../../config/types.ts';
import type { Database } from '../../db/port.ts';
import { useContextManager } from './context.ts';
import { tracedDatabase } from './database.ts';
import { requestTracing } from './http.ts';
import type { RequestTracing } from './types.ts';

export interface Tracing {
  readonly http: RequestTracing;
  /** `db` with spans for the work traced requests do on it; `connection` names it (`api`, `auth`, `admin`). */
  database(db: Database, connection: string): Database;
  /** Sends the spans still batched, then stops. */
  shutdown(): Promise<void>;
}

/** Longest attribute value kept (a statement's text); longer ones are cut. */
const MAX_ATTRIBUTE_CHARS = 4096;

export function startTracing(config: TracingConfig): Tracing {
  const exporter = new OTLPTraceExporter({ url: config.tracesUrl, headers: { ...config.headers } });
  const provider = new BasicTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ 'service.name': config.serviceName })),
    // A caller's traceparent decides; requests without one were sampled before their span (http.ts).
    sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    spanLimits: { attributeValueLengthLimit: MAX_ATTRIBUTE_CHARS },
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('groundwork');
  // Node 20's AsyncLocalStorage runs a promise hook on every promise in the process: measured
  // at about a tenth of REST throughput, twice the budget for tracing. Only on request.
  const release = config.asyncContext ? useContextManager() : () => undefined;
  return {
    http: requestTracing(tracer, { asyncContext: config.asyncContext, sampleRatio: config.sampleRatio }),
    database: (db, connection) => tracedDatabase(db, tracer, connection),
    shutdown: async () => {
      try {
        await provider.shutdown();
      } catch {
        // A collector that cannot be reached loses these spans; shutdown goes on.
      } finally {
        release();
      }
    },
  };
}
