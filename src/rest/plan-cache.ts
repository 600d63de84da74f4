// Plans of body-less requests (GET, HEAD) cached by everything the parser reads: method,
// path, query string and the headers that shape a plan. A plan holds no caller data (role
// and claims travel as settings), so any caller may reuse it. The cache belongs to one
// schema cache value: a reload starts a new one.
import type { SchemaCache } from '../schema-cache/types.ts';
import type { RestPlan } from './plan/common.ts';
import type { ApiRequest, RawRestRequest } from './request/api-request.ts';

const MAX_ENTRIES = 500;

export interface CachedPlan {
  readonly req: ApiRequest;
  readonly plan: RestPlan;
}

const caches = new WeakMap<SchemaCache, Map<string, CachedPlan>>();

const header = (raw: RawRestRequest, name: string): string => {
  const v = raw.headers[name];
  return typeof v === 'string' ? v : (v?.join(',') ?? '');
};

/** The cache key, or undefined when the request has a body (its plan depends on it). */
export function planKey(raw: RawRestRequest): string | undefined {
  if (raw.method !== 'GET' && raw.method !== 'HEAD') return undefined;
  return [raw.method, raw.path, raw.query, header(raw, 'accept'), header(raw, 'prefer'), header(raw, 'range'), header(raw, 'accept-profile')].join('\n');
}

export function cachedPlan(cache: SchemaCache, key: string): CachedPlan | undefined {
  const map = caches.get(cache);
  const hit = map?.get(key);
  if (hit !== undefined && map !== undefined) {
    map.delete(key); // most recently used goes last
    map.set(key, hit);
  }
  return hit;
}

export function rememberPlan(cache: SchemaCache, key: string, value: CachedPlan): void {
  let map = caches.get(cache);
  if (map === undefined) {
    map = new Map();
    caches.set(cache, map);
  }
  if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value as string);
  map.set(key, value);
}
