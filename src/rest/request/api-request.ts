// Stage 1 of a REST request: the raw HTTP pieces become an ApiRequest. Pure: it knows the
// configuration but not the schema cache (names are resolved by the planner).
import { restErrors } from '../errors.ts';
import type { RestConfig } from '../config.ts';
import { parseAccept, type MediaType } from './accept.ts';
import { Cursor, LimitFailure, ParseFailure } from './cursor.ts';
import { parseFilterValue, parseLogicTree } from './filter.ts';
import { parseNameList, parseOrder } from './order.ts';
import { tablePayload, rpcPayload, type Payload } from './payload.ts';
import { parsePrefer, type Preferences } from './prefer.ts';
import { jsonPath, parseSelect } from './select.ts';
import type { FieldRef, Filter, LogicTree, OrderTerm, SelectItem } from './types.ts';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'OPTIONS';
export type Target = { readonly kind: 'root' } | { readonly kind: 'relation'; readonly name: string } | { readonly kind: 'routine'; readonly name: string };

/** Embed path ("" for the top level, otherwise embed names/aliases joined by "."). */
export type EmbedPath = readonly string[];

export interface RawRestRequest {
  readonly method: string;
  /** The path below /rest/v1, e.g. `/todos`, `/rpc/fn`, `/`. */
  readonly path: string;
  /** The raw query string, without `?`. */
  readonly query: string;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: Buffer | undefined;
}

export interface ApiRequest {
  readonly method: Method;
  readonly target: Target;
  readonly schema: string;
  /** A profile header was sent, or several schemas are exposed: answer with Content-Profile. */
  readonly negotiatedSchema: boolean;
  readonly select: readonly SelectItem[];
  readonly filters: ReadonlyArray<{ readonly path: EmbedPath; readonly filter: Filter }>;
  readonly logic: ReadonlyArray<{ readonly path: EmbedPath; readonly tree: LogicTree }>;
  readonly order: ReadonlyArray<{ readonly path: EmbedPath; readonly terms: readonly OrderTerm[] }>;
  readonly ranges: ReadonlyArray<{ readonly path: EmbedPath; readonly limit: number | undefined; readonly offset: number | undefined }>;
  /** The top level's window: limit/offset parameters intersected with the Range header. */
  readonly range: { readonly offset: number; readonly limit: number | undefined };
  readonly columns: readonly string[] | undefined;
  readonly onConflict: readonly string[] | undefined;
  /** GET/HEAD /rpc arguments, in order (repeats kept for VARIADIC). */
  readonly rpcArgs: ReadonlyArray<readonly [string, string]>;
  readonly prefer: Preferences;
  readonly accept: readonly MediaType[];
  readonly payload: Payload | undefined;
  /** Decoded query parameters, for Content-Location. */
  readonly params: ReadonlyArray<readonly [string, string]>;
}

const METHODS: readonly Method[] = ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'];
const OP_START = /^(not\.|(eq|neq|gt|gte|lt|lte|like|ilike|match|imatch|in|is|isdistinct|fts|plfts|phfts|wfts|cs|cd|ov|sl|sr|nxr|nxl|adj)[.(])/;

const header = (h: RawRestRequest['headers'], name: string): string | undefined => {
  const v = h[name];
  return typeof v === 'string' ? v : v?.[0];
};

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replaceAll('+', ' '));
  } catch {
    throw restErrors.invalidPath();
  }
}

/** `a=1&b&c=` → [[a,1],[c,'']]: keys without `=` are ignored, as PostgREST does. */
export function queryParams(query: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const piece of query.split('&')) {
    const eq = piece.indexOf('=');
    if (piece === '' || eq < 0) continue;
    out.push([decode(piece.slice(0, eq)), decode(piece.slice(eq + 1))]);
  }
  return out;
}

function target(path: string): Target {
  const segments = path.replace(/^\//, '').split('/').map(decode);
  if (segments.length === 1 && segments[0] === '') return { kind: 'root' };
  if (segments.length === 1) return { kind: 'relation', name: segments[0] as string };
  if (segments.length === 2 && segments[0] === 'rpc' && segments[1] !== '') return { kind: 'routine', name: segments[1] as string };
  throw restErrors.invalidPath();
}

/** A parameter key: dot-separated names, the last possibly with a JSON path. */
function keySegments(key: string): { names: string[]; field: FieldRef } {
  const c = new Cursor(key, 'tree path');
  const names: string[] = [];
  for (;;) {
    const name = c.name();
    const path = jsonPath(c);
    if (path.length > 0 || !c.eat('.')) {
      if (!c.done) c.fail('"." or end of input');
      return { names, field: { name, jsonPath: path } };
    }
    names.push(name);
  }
}

function integer(v: string): number | undefined {
  return /^-?\d+$/.test(v.trim()) ? Number(v) : undefined;
}

function window(offset: number, limit: number | undefined, rangeHeader: string | undefined): { offset: number; limit: number | undefined } {
  if (limit !== undefined && limit < 0) throw restErrors.range('Limit should be greater than or equal to zero.');
  let lower = offset;
  let upper = limit === undefined ? Infinity : offset + limit - 1;
  const m = rangeHeader === undefined ? null : /^([0-9]+)-([0-9]*)$/.exec(rangeHeader.trim());
  if (m !== null) {
    const rl = Number(m[1]);
    const ru = m[2] === '' ? Infinity : Number(m[2]);
    if (rl > ru) throw restErrors.range('The lower boundary must be lower than or equal to the upper boundary in the Range header.');
    lower = Math.max(lower, rl);
    upper = Math.min(upper, ru);
  }
  lower = Math.max(lower, 0);
  if (upper === Infinity) return { offset: lower, limit: undefined };
  return { offset: lower, limit: Math.max(upper - lower + 1, 0) };
}

export function parseApiRequest(raw: RawRestRequest, config: RestConfig): ApiRequest {
  const method = raw.method.toUpperCase() as Method;
  if (!METHODS.includes(method)) throw restErrors.unsupportedMethod(raw.method);
  const t = target(raw.path);
  if (t.kind === 'routine' && !['GET', 'HEAD', 'POST', 'OPTIONS'].includes(method)) throw restErrors.rpcMethod(method);

  const writes = method === 'POST' || method === 'PATCH' || method === 'PUT' || method === 'DELETE';
  const profile = header(raw.headers, writes ? 'content-profile' : 'accept-profile');
  const schema = profile ?? (config.schemas[0] as string);
  if (!config.schemas.includes(schema)) throw restErrors.invalidSchema(schema, config.schemas);

  const params = queryParams(raw.query);
  let select: SelectItem[] | undefined;
  let columns: string[] | undefined;
  let onConflict: string[] | undefined;
  const filters: Array<{ path: EmbedPath; filter: Filter }> = [];
  const logic: Array<{ path: EmbedPath; tree: LogicTree }> = [];
  const order = new Map<string, { path: EmbedPath; terms: OrderTerm[] }>();
  const ranges = new Map<string, { path: EmbedPath; limit: number | undefined; offset: number | undefined }>();
  const rpcArgs: Array<readonly [string, string]> = [];
  const rpcGet = t.kind === 'routine' && (method === 'GET' || method === 'HEAD');

  try {
    for (const [key, value] of params) {
      if (key === 'select') select ??= parseSelect(value);
      else if (key === 'columns') columns ??= parseNameList(value, 'columns parameter');
      else if (key === 'on_conflict') onConflict ??= parseNameList(value, 'on_conflict parameter');
      else {
        const { names, field } = keySegments(key);
        const last = field.name;
        const plain = field.jsonPath.length === 0;
        if (plain && (last === 'order' || last === 'limit' || last === 'offset')) {
          const id = names.join('\u0000');
          if (last === 'order') {
            if (!order.has(id)) order.set(id, { path: names, terms: parseOrder(value) });
          } else {
            const r = ranges.get(id) ?? { path: names, limit: undefined, offset: undefined };
            const n = integer(value);
            if (n !== undefined) ranges.set(id, last === 'limit' ? { ...r, limit: n } : { ...r, offset: n });
          }
        } else if (plain && (last === 'or' || last === 'and')) {
          const negated = names.at(-1) === 'not';
          logic.push({ path: negated ? names.slice(0, -1) : names, tree: parseLogicTree(last, negated, value) });
        } else if (rpcGet && names.length === 0 && !OP_START.test(value)) {
          rpcArgs.push([key, value]);
        } else {
          filters.push({ path: names, filter: parseFilterValue(field, value) });
        }
      }
    }
  } catch (e) {
    if (e instanceof ParseFailure) throw restErrors.parse(e);
    if (e instanceof LimitFailure) throw restErrors.limit(e);
    throw e;
  }

  const prefer = parsePrefer(raw.headers['prefer']);
  const strict = prefer.handling === 'strict';
  if (strict && prefer.invalid.length > 0) throw restErrors.invalidPreferences(prefer.invalid);

  const top = ranges.get('');
  const range = window(top?.offset ?? 0, top?.limit, method === 'GET' ? header(raw.headers, 'range') : undefined);
  if (method === 'PUT' && top !== undefined) throw restErrors.putLimit();

  let payload: Payload | undefined;
  const body = raw.body ?? Buffer.alloc(0);
  const contentType = header(raw.headers, 'content-type');
  if (t.kind === 'relation' && (method === 'POST' || method === 'PATCH' || method === 'PUT')) payload = tablePayload(contentType, body, columns === undefined);
  else if (t.kind === 'routine' && method === 'POST') payload = rpcPayload(contentType, body);

  return {
    method,
    target: t,
    schema,
    negotiatedSchema: profile !== undefined || config.schemas.length > 1,
    select: select ?? [{ kind: 'star' }],
    filters,
    logic,
    order: [...order.values()],
    ranges: [...ranges.values()],
    range,
    columns,
    onConflict,
    rpcArgs,
    prefer,
    accept: parseAccept(header(raw.headers, 'accept')),
    payload,
    params,
  };
}
