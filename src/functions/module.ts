// Functions at /functions/v1 as a module: code written for Supabase Edge Functions, run by
// Deno in one process per function (src/functions/runtime/), behind the same JWT check and
// key set as REST and Auth. The service's watcher and secrets listener are its worker.
import type { Config } from '../config/load.ts';
import type { ApiModule, ModuleContext, Worker } from '../http/module.ts';
import { functionsErrors } from './errors.ts';
import { registerFunctionsRoutes } from './http/routes.ts';
import { FunctionsService } from './service.ts';

type FunctionsConfig = Config['functions'];

const services = new WeakMap<ModuleContext<FunctionsConfig>, FunctionsService>();

function serviceOf(ctx: ModuleContext<FunctionsConfig>): FunctionsService {
  let service = services.get(ctx);
  if (service === undefined) {
    service = new FunctionsService({
      settings: ctx.settings,
      injected: () => ({ url: ctx.externalUrl(), anonKey: ctx.apiKeys.anon, serviceRoleKey: ctx.apiKeys.serviceRole, dbUrl: ctx.dbUrl() }),
      db: ctx.db.admin,
      observe: ctx.observe,
      // A stopping worker may finish background work (EdgeRuntime.waitUntil) within a wall clock.
      graceMs: Math.min(ctx.settings.timeoutMs, ctx.config.shutdownTimeoutMs),
    });
    services.set(ctx, service);
  }
  return service;
}

function runtimeWorker(ctx: ModuleContext<FunctionsConfig>): Worker {
  return {
    name: 'functions-runtime',
    start: () => serviceOf(ctx).start(),
    stop: () => serviceOf(ctx).stop(),
  };
}

export const functionsModule: ApiModule<FunctionsConfig> = {
  name: 'functions',
  errors: functionsErrors,
  settings: (config) => config.functions,
  register(http, ctx) {
    registerFunctionsRoutes(http, { service: serviceOf(ctx), verifyToken: ctx.verifyToken, timeoutMs: ctx.settings.timeoutMs, observe: ctx.observe });
  },
  workers: (ctx) => [runtimeWorker(ctx)],
};
