// The jobs admin API at /jobs/v1, for the service_role (the dashboard reads it): database
// webhooks, outbound requests with their attempts (and redelivery), queues, cron jobs and
// their runs. Each route reads its input with zod, runs one query on the admin connection
// and answers JSON.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Database } from '../../db/port.ts';
import { resolveCaller } from '../../http/request-context.ts';
import type { ModuleContext } from '../../http/module.ts';
import { jobsErrors } from '../errors.ts';
import { adminQueries } from './queries.ts';

const page = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.coerce.number().int().positive().optional(),
});
const deliveries = page.extend({ state: z.enum(['pending', 'succeeded', 'failed', 'dead']).optional() });
const runs = page.extend({ jobid: z.coerce.number().int().positive().optional() });
const idParam = z.object({ id: z.string().regex(/^\d{1,18}$/, 'must be a request id') });

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw jobsErrors.badRequest(`${issue?.path.join('.') ?? 'input'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export function registerJobsRoutes(app: FastifyInstance, ctx: ModuleContext<unknown>, admin: Database): void {
  const q = adminQueries(admin);
  const requireServiceRole = async (request: FastifyRequest) => {
    const { caller } = await resolveCaller(
      { method: request.method, path: request.url.split('?')[0] ?? '', headers: request.headers },
      { verify: ctx.verifyToken, roles: ctx.schema.current.roles, anonRole: ctx.config.rest.anonRole },
    );
    if (caller.role !== 'service_role') throw jobsErrors.serviceRoleRequired();
  };

  void app.register(
    async (scope) => {
      scope.addHook('onRequest', requireServiceRole);
      scope.get('/webhooks', async () => q.webhooks());
      scope.get('/deliveries', async (request) => q.deliveries(parse(deliveries, request.query)));
      scope.get('/deliveries/:id', async (request) => {
        const { id } = parse(idParam, request.params);
        const found = await q.delivery(id);
        if (found === undefined) throw jobsErrors.notFound(`request ${id}`);
        return found;
      });
      scope.post('/deliveries/:id/redeliver', async (request) => {
        const { id } = parse(idParam, request.params);
        const result = await q.redeliver(id);
        if (result === 'missing') throw jobsErrors.notFound(`request ${id}`);
        if (result === 'pending') throw jobsErrors.stillPending(id);
        return { id, state: 'pending' };
      });
      scope.get('/queues', async () => q.queues());
      scope.get('/cron/jobs', async () => q.cronJobs());
      scope.get('/cron/runs', async (request) => q.cronRuns(parse(runs, request.query)));
    },
    { prefix: '/jobs/v1' },
  );
}
