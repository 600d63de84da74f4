// Webhooks, outbound HTTP, queues and cron as a module. Their SQL APIs (pg_net's, Supabase's
// webhook trigger, pgmq's, pg_cron's) live in the database (bootstrap v12–v14); this module
// holds what runs in Node: the dispatcher that sends queued requests after commit, the cron
// scheduler, the queue consumers, the upkeep, and the admin API at /jobs/v1.
import type { Config } from '../config/load.ts';
import type { ApiModule, ModuleContext, Worker } from '../http/module.ts';
import { deriveWebhookSecret } from '../keys/webhook-secret.ts';
import { startScheduler, type Scheduler } from './cron/scheduler.ts';
import { startDispatcher, type Dispatcher } from './delivery/dispatcher.ts';
import { ownFunctions } from './delivery/own-functions.ts';
import { jobsErrors } from './errors.ts';
import { startHousekeeping, type Housekeeping } from './housekeeping.ts';
import { registerJobsRoutes } from './http/routes.ts';
import { startConsumers, type Consumers } from './queues/consumers.ts';

type JobsConfig = Config['jobs'];

function dispatcherWorker(ctx: ModuleContext<JobsConfig>): Worker {
  let dispatcher: Dispatcher | undefined;
  return {
    name: 'http-dispatcher',
    start: async () => {
      const s = ctx.settings;
      dispatcher = await startDispatcher({
        db: ctx.db.admin,
        allow: s.allow,
        ownFunctions: ownFunctions(ctx.externalUrl()),
        secret: s.webhookSecret ?? deriveWebhookSecret(ctx.jwtSecret),
        policy: s.retry,
        concurrency: s.concurrency,
        endpointConcurrency: s.endpointConcurrency,
        observe: ctx.observe,
      });
    },
    stop: async () => dispatcher?.stop(),
  };
}

function cronWorker(ctx: ModuleContext<JobsConfig>): Worker {
  let scheduler: Scheduler | undefined;
  return {
    name: 'cron-scheduler',
    start: async () => {
      scheduler = await startScheduler(ctx.db.admin, ctx.observe);
    },
    stop: async () => scheduler?.stop(),
  };
}

function consumersWorker(ctx: ModuleContext<JobsConfig>): Worker {
  let consumers: Consumers | undefined;
  return {
    name: 'queue-consumers',
    start: async () => {
      const s = ctx.settings;
      consumers = await startConsumers({ db: ctx.db.admin, allow: s.allow, ownFunctions: ownFunctions(ctx.externalUrl()), secret: s.webhookSecret ?? deriveWebhookSecret(ctx.jwtSecret), policy: s.retry, observe: ctx.observe });
    },
    stop: async () => consumers?.stop(),
  };
}

function housekeepingWorker(ctx: ModuleContext<JobsConfig>): Worker {
  let running: Housekeeping | undefined;
  return {
    name: 'jobs-housekeeping',
    start: async () => {
      running = startHousekeeping(ctx.db.admin, ctx.settings.historyDays, ctx.observe);
    },
    stop: async () => running?.stop(),
  };
}

export const jobsModule: ApiModule<JobsConfig> = {
  name: 'jobs',
  errors: jobsErrors,
  settings: (config) => config.jobs,
  register(http, ctx) {
    registerJobsRoutes(http, ctx, ctx.db.admin);
  },
  workers: (ctx) => [dispatcherWorker(ctx), cronWorker(ctx), consumersWorker(ctx), housekeepingWorker(ctx)],
};
