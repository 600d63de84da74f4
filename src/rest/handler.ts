// One REST request, stage by stage: credentials → parse → plan → execute → render.
import { API_LOGIN } from '../db/logins.ts';
import type { Database } from '../db/port.ts';
import { DbError } from '../db/errors.ts';
import { coreErrors } from '../errors/core-catalogue.ts';
import { resolveCaller } from '../http/request-context.ts';
import type { TokenVerifier } from '../keys/verify-token.ts';
import type { SchemaSource } from '../schema-cache/store.ts';
import type { RestConfig } from './config.ts';
import { execute } from './execute.ts';
import { planRequest } from './plan/plan.ts';
import { cachedPlan, planKey, rememberPlan } from './plan-cache.ts';
import { parseApiRequest, type RawRestRequest } from './request/api-request.ts';
import { renderRead, renderWrite, type RestResponse } from './response/render.ts';

export interface RestDeps {
  readonly db: Database;
  readonly schema: SchemaSource;
  readonly verify: TokenVerifier;
  readonly config: RestConfig;
}

export async function handleRest(raw: RawRestRequest, deps: RestDeps, signal?: AbortSignal): Promise<RestResponse> {
  const cache = deps.schema.current;
  const { caller, authenticated } = await resolveCaller(
    { method: raw.method, path: raw.path, headers: raw.headers },
    { verify: deps.verify, roles: cache.roles, anonRole: deps.config.anonRole },
  );
  const key = planKey(raw);
  const known = key === undefined ? undefined : cachedPlan(cache, key);
  const req = known?.req ?? parseApiRequest(raw, deps.config);
  const plan = known?.plan ?? planRequest(req, cache, deps.config);
  if (key !== undefined && known === undefined) rememberPlan(cache, key, { req, plan });
  if (plan.kind === 'options') return { status: 200, headers: { allow: plan.allow }, body: undefined };
  if (plan.kind === 'document') return { status: 200, headers: { ...plan.headers }, body: plan.body };
  try {
    // The caller role's statement_timeout, else the one its login role (authenticator) has.
    const statementTimeoutMs = cache.statementTimeouts.get(caller.role) ?? cache.statementTimeouts.get(API_LOGIN);
    const outcome = await execute(deps.db, plan.execution, caller, deps.config.preRequest, { statementTimeoutMs, signal });
    if (plan.execution.explain !== undefined) {
      return { status: 200, headers: { 'content-type': plan.render.negotiated.contentType }, body: outcome.body };
    }
    return plan.render.kind === 'read' || plan.render.kind === 'call'
      ? renderRead(plan.render, outcome, req.schema, req.negotiatedSchema)
      : renderWrite(plan.render, outcome, req.schema, req.negotiatedSchema);
  } catch (e) {
    // 42501 is 401 for the anonymous role, 403 otherwise: only here is that known.
    throw e instanceof DbError ? coreErrors.fromDb(e, authenticated) : e;
  }
}
