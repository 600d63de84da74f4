// Observability as a module: Prometheus metrics at /metrics, a sink on the observation stream
// (src/observe/metrics/). Tracing is not here: it must wrap the HTTP server and the database
// connections as start-up builds them (src/app/start.ts, src/observe/tracing/). With metrics
// off nothing is loaded, subscribed or mounted.
import type { ObserveConfig } from '../config/types.ts';
import type { ApiModule } from '../http/module.ts';
import { observeErrors } from './metrics/errors.ts';

export const observeModule: ApiModule<ObserveConfig> = {
  name: 'observe',
  errors: observeErrors,
  settings: (config) => config.observe,
  async register(http, ctx) {
    if (!ctx.settings.metrics.enabled) return;
    const { startMetrics } = await import('./metrics/start.ts');
    startMetrics(http, ctx);
  },
};
