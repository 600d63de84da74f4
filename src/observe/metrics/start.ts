// Metrics for one node: its registry, the sink on the observation stream, what is read at
// scrape time, and `GET /metrics`. Loaded by the observe module only when metrics are on.
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import type { ObserveConfig } from '../../config/types.ts';
import type { ModuleContext } from '../../http/module.ts';
import { mayReadMetrics } from './access.ts';
import { observeErrors } from './errors.ts';
import { createInstruments } from './instruments.ts';
import { metricsSink } from './record.ts';
import { registerScrapeMetrics } from './scrape.ts';

export function startMetrics(http: FastifyInstance, ctx: ModuleContext<ObserveConfig>): void {
  const registry = new Registry();
  const sink = metricsSink(createInstruments(registry));
  ctx.subscribe(sink.observe);
  const { db } = ctx;
  // The embedded database's login roles are views of its one session: one pool to report.
  const pools = ctx.config.database.mode === 'embedded' ? ([['embedded', db.admin]] as const) : ([['admin', db.admin], ['api', db.api], ['auth', db.auth]] as const);
  registerScrapeMetrics(registry, { pools, admin: db.admin });
  const token = ctx.settings.metrics.token;

  http.get('/metrics', async (request, reply) => {
    if (!(await mayReadMetrics(request.headers, { verifyToken: ctx.verifyToken, token }))) throw observeErrors.metricsUnauthorized();
    sink.prepare(Date.now());
    const text = await registry.metrics();
    return reply.header('content-type', registry.contentType).header('cache-control', 'no-store').send(text);
  });
}
