// A whole REST request: a path (table, view, function or nonsense), its query (select,
// filters, order, paging, columns, on_conflict), the PostgREST headers (Prefer, Accept,
// Content-Type, profiles, Range) and a body. Never with the service_role key.
import type { HttpCase } from '../case.ts';
import type { Rng } from '../prng.ts';
import { body } from './bodies.ts';
import { filters, ordering, type Param } from './rest-filter.ts';
import { mangle, selectParam, tableInfo } from './rest-select.ts';
import { ROUTINES, SCHEMAS, TABLES, type TableInfo } from './schema.ts';
import { restCredentials, type Credentials } from './tokens.ts';
import { filterValue, oddString, pct, urlValue } from './values.ts';

const PREFER_TOKENS = [
  'return=representation', 'return=minimal', 'return=headers-only', 'count=exact', 'count=planned', 'count=estimated', 'resolution=merge-duplicates',
  'resolution=ignore-duplicates', 'missing=default', 'missing=null', 'handling=strict', 'handling=lenient', 'tx=rollback', 'tx=commit', 'max-affected=0',
  'max-affected=1', 'max-affected=99999999999999999999', 'max-affected=-1', 'timezone=America/New_York', 'timezone=Nowhere/Else', 'timezone=', 'params=single-object',
  'return=', '=', 'unknown', 'count=exact;q=1', 'return = representation',
];
const ACCEPTS = [
  'application/json', 'application/vnd.pgrst.object+json', 'application/vnd.pgrst.object+json;nulls=stripped', 'application/vnd.pgrst.array+json;nulls=stripped',
  'text/csv', 'application/geo+json', 'application/vnd.pgrst.plan', 'application/vnd.pgrst.plan+json; options=analyze|verbose|buffers|wal|settings',
  'application/vnd.pgrst.plan+text; for="application/json"', 'application/vnd.pgrst.plan; for="text/csv"; options=nonsense', 'application/openapi+json',
  'text/plain', 'application/octet-stream', '*/*', 'application/*', 'image/png', 'text/csv;q=0.5, application/json;q=0.9', 'application/json;q=0', ',,,', 'a/b/c',
  'application/vnd.pgrst.object', '*/*;q=abc', 'application/json; charset=utf-8',
];
const RANGES = ['0-9', '5-', '-5', '9-1', '0-0', '0-999999999999', 'items=0-10', 'bytes=0-1', '', 'x', '1-2-3', '18446744073709551616-18446744073709551617'];

const GRAMMAR = /[A-Za-z0-9\-_.~!*'():,>]/;

type Target = { readonly kind: 'table'; readonly t: TableInfo } | { readonly kind: 'rpc'; readonly name: string; readonly args: readonly string[]; readonly readOnly: boolean } | { readonly kind: 'other'; readonly path: string };

function target(r: Rng): Target {
  return r.weighted<() => Target>([
    [14, () => ({ kind: 'table', t: r.pick(TABLES) })],
    [6, () => {
      const f = r.pick(ROUTINES);
      return { kind: 'rpc', name: f.name, args: f.args, readOnly: f.readOnly };
    }],
    [1, () => ({ kind: 'rpc', name: r.pick(['nonsense', 'custom_access_token_hook', 'pg_sleep', 'uid', 'auth.uid', '', oddString(r).slice(0, 80)]), args: ['a'], readOnly: true })],
    [1, () => ({ kind: 'other', path: r.pick(['/', '', '/nonsense', '/books/1', '/rpc', '/rpc/', '//books', '/books/', '/other.notes', '/notes', '/auth.users', '/pg_catalog.pg_roles', `/${pct(oddString(r))}`, '/%00', '/books%00', '/%ff', '/..%2f..%2fetc', `/${'a'.repeat(r.size(20000))}`]) })],
  ])();
}

function method(r: Rng, tg: Target): string {
  if (tg.kind === 'rpc') return r.weighted([[5, 'POST'], [4, 'GET'], [1, 'HEAD'], [1, r.pick(['PATCH', 'DELETE', 'PUT', 'OPTIONS'])]]);
  return r.weighted([[8, 'GET'], [1, 'HEAD'], [3, 'POST'], [2, 'PATCH'], [1, 'PUT'], [2, 'DELETE'], [1, 'OPTIONS'], [1, r.pick(['TRACE', 'PROPFIND', 'get', 'FOO'])]]);
}

function rpcArgs(r: Rng, args: readonly string[]): Param[] {
  const out: Param[] = args.filter(() => r.chance(0.7)).map((a) => [a, filterValue(r)] as const);
  if (args.includes('nums')) for (let i = r.size(5); i > 0; i--) out.push(['nums', filterValue(r)]);
  if (r.chance(0.2)) out.push([r.pick(['zzz', 'select', '', oddString(r).slice(0, 30)]), filterValue(r)]);
  return out;
}

function encodeParams(r: Rng, params: readonly Param[]): string {
  if (params.length === 0) return '';
  // Long values keep their grammar characters unencoded, so they stay under Node's 16 KiB header limit and reach the parser.
  const value = (v: string) => (v.length > 2000 ? pct(v, GRAMMAR) : urlValue(r, v));
  const parts = params.map(([k, v]) => `${r.chance(0.95) ? pct(k, GRAMMAR) : pct(k)}=${value(v)}`);
  return `?${parts.join('&')}`;
}

function headers(r: Rng, creds: Credentials, tg: Target): Record<string, string | string[]> {
  const h: Record<string, string | string[]> = { ...restCredentials(r, creds) };
  if (r.chance(0.4)) {
    const prefer = r.many(r.size(4), () => r.pick(PREFER_TOKENS)).join(r.pick([',', ', ', ' ,']));
    h['prefer'] = r.chance(0.1) ? [prefer, r.pick(PREFER_TOKENS)] : prefer;
  }
  if (r.chance(0.35)) h['accept'] = r.chance(0.9) ? r.pick(ACCEPTS) : oddString(r).slice(0, 200);
  if (r.chance(0.1)) h['accept-profile'] = r.chance(0.8) ? r.pick([...SCHEMAS, 'auth', 'pg_catalog', '', 'PUBLIC']) : oddString(r).slice(0, 100);
  if (r.chance(0.08)) h['content-profile'] = r.chance(0.8) ? r.pick([...SCHEMAS, 'auth', '']) : oddString(r).slice(0, 100);
  if (r.chance(0.12)) {
    h['range'] = r.pick(RANGES);
    if (r.chance(0.5)) h['range-unit'] = r.pick(['items', 'bytes', '', 'x']);
  }
  if (tg.kind === 'table' && r.chance(0.05)) h['x-http-method-override'] = r.pick(['DELETE', 'PATCH']);
  return h;
}

export function restCase(r: Rng, creds: Credentials): HttpCase {
  const tg = target(r);
  const m = method(r, tg);
  const params: Param[] = [];
  let path: string;
  let t: TableInfo | undefined;
  if (tg.kind === 'table') {
    t = tg.t;
    path = `/${tg.t.name}`;
    if (r.chance(0.6)) params.push(['select', selectParam(r, tg.t)]);
    params.push(...filters(r, tg.t), ...ordering(r, tg.t));
    if (m === 'POST' && r.chance(0.2)) params.push(['columns', r.many(r.int(1, 4), () => (r.chance(0.9) ? r.pick(tg.t.columns) : oddString(r).slice(0, 20))).join(',')]);
    if (m === 'POST' && r.chance(0.15)) params.push(['on_conflict', r.chance(0.8) ? r.pick(tg.t.columns) : oddString(r).slice(0, 20)]);
  } else if (tg.kind === 'rpc') {
    path = `/rpc/${tg.name}`;
    t = tableInfo('books');
    if (m !== 'POST') params.push(...rpcArgs(r, tg.args));
    if (r.chance(0.3) && t !== undefined) params.push(['select', selectParam(r, t)], ...filters(r, t).slice(0, 2), ...ordering(r, t));
  } else {
    path = tg.path;
  }
  if (r.chance(0.05)) params.push([r.pick(['select', 'order', 'limit', 'id', 'or']), r.pick(['', '=', '&', '#', '?'])]);
  let query = encodeParams(r, params);
  if (r.chance(0.03)) query = mangle(r, query);
  const h = headers(r, creds, tg);
  let bodyBytes: Buffer | undefined;
  if (m === 'POST' || m === 'PATCH' || m === 'PUT' || (m === 'DELETE' && r.chance(0.1)) || (m === 'GET' && r.chance(0.03))) {
    const b = body(r, tg.kind === 'rpc' ? undefined : t, tg.kind === 'rpc' ? tg.args : []);
    bodyBytes = b.bytes;
    if (b.contentType !== undefined) h['content-type'] = b.contentType;
  }
  return { kind: 'http', family: 'rest', method: m, path: `/rest/v1${path}${query}`, headers: h, ...(bodyBytes === undefined ? {} : { body: bodyBytes }) };
}
