// The REST API (PostgREST's, at /rest/v1) as a module: requests run on the API connection
// as the caller's role; no background work.
import type { ApiModule } from '../http/module.ts';
import type { RestConfig } from './config.ts';
import { restErrors } from './errors.ts';
import { registerRest } from './routes.ts';

export const restModule: ApiModule<RestConfig> = {
  name: 'rest',
  errors: restErrors,
  settings: (config) => config.rest,
  register(http, ctx) {
    registerRest(http, { db: ctx.db.api, schema: ctx.schema, verify: ctx.verifyToken, config: ctx.settings });
  },
};
