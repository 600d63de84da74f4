import { it } from 'node:test';
import assert from 'node:assert/strict';
import { buildSchemaCache } from '../schema-cache/build.ts';
import type { RestPlan } from './plan/plan.ts';
import type { ApiRequest, RawRestRequest } from './request/api-request.ts';
import { cachedPlan, planKey, rememberPlan } from './plan-cache.ts';

const raw = (over: Partial<RawRestRequest>): RawRestRequest => ({ method: 'GET', path: '/t', query: 'a=eq.1', headers: {}, body: undefined, ...over });
const empty = () => buildSchemaCache({ relations: [], foreignKeys: [], routines: [], roles: [], schemas: [] });

it('keys body-less requests by everything that shapes the plan', () => {
  assert.equal(planKey(raw({ method: 'POST' })), undefined);
  assert.notEqual(planKey(raw({})), planKey(raw({ query: 'a=eq.2' })));
  assert.notEqual(planKey(raw({})), planKey(raw({ headers: { prefer: 'count=exact' } })));
  assert.notEqual(planKey(raw({})), planKey(raw({ headers: { range: '0-1' } })));
  assert.notEqual(planKey(raw({})), planKey(raw({ headers: { accept: 'text/csv' } })));
  assert.notEqual(planKey(raw({})), planKey(raw({ headers: { 'accept-profile': 'other' } })));
  assert.equal(planKey(raw({})), planKey(raw({ headers: { authorization: 'Bearer x', 'x-client-info': 'y' } })), 'the caller is not part of a plan');
});

it('keeps plans per schema cache value', () => {
  const a = empty();
  const b = empty();
  const entry = { req: {} as ApiRequest, plan: { kind: 'options', allow: 'GET' } as RestPlan };
  rememberPlan(a, 'k', entry);
  assert.equal(cachedPlan(a, 'k'), entry);
  assert.equal(cachedPlan(b, 'k'), undefined, 'a reloaded schema starts empty');
});
