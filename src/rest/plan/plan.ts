// Stage 2 entry: an ApiRequest and the schema cache become a RestPlan: the statement to
// run, how to run it (read-only, checks, rollback) and what the renderer needs to know.
import { ident, sql, type Sql } from '../../lib/sql.ts';
import type { SchemaCache } from '../../schema-cache/types.ts';
import type { RestConfig } from '../config.ts';
import type { ApiRequest } from '../request/api-request.ts';
import { countSql, selectSql } from '../query/read-sql.ts';
import { outerStatement } from '../query/statement.ts';
import { negotiate } from './negotiate.ts';
import { planReadTree, resolveRelation, type ReadContext } from './read.ts';
import type { Negotiated, Relation } from './types.ts';
import { planWrite, type WriteRender } from './mutate.ts';
import { planCall } from './call.ts';
import { planRoot } from './root.ts';

export interface Execution {
  readonly statement: Sql;
  readonly readOnly: boolean;
  /** Transaction-local settings besides the caller's (search_path, timezone). */
  readonly settings: ReadonlyArray<readonly [string, string]>;
  /** The rows to count by EXPLAIN: count=planned, or count=estimated past the cap. */
  readonly plannedCount: { readonly rows: Sql; readonly mode: 'planned' | 'estimated'; readonly cap: number | undefined } | undefined;
  /** Accept: application/vnd.pgrst.plan: run EXPLAIN on the statement instead. */
  readonly explain: { readonly format: 'text' | 'json'; readonly options: readonly string[] } | undefined;
  /** The object handler needs exactly one row (else PGRST116, rolled back). */
  readonly singular: boolean;
  /** handling=strict with max-affected: more rows than this roll back (PGRST124). */
  readonly maxAffected: number | undefined;
  /** PUT: exactly one row or PGRST115, rolled back. */
  readonly exactlyOne: boolean;
  /** Prefer tx=rollback (when allowed) or db-tx-end=rollback*: answer, then roll back. */
  readonly rollback: boolean;
}

export interface RenderInfo {
  readonly kind: 'read' | 'insert' | 'update' | 'delete' | 'put' | 'call';
  readonly negotiated: Negotiated;
  readonly headOnly: boolean;
  readonly offset: number;
  readonly count: 'exact' | 'planned' | 'estimated' | undefined;
  readonly contentLocation: string | undefined;
  readonly preferenceApplied: readonly string[];
  readonly write?: WriteRender;
  /** RPC of a void function: 204, no body. */
  readonly void?: boolean;
}

export type RestPlan =
  | { readonly kind: 'statement'; readonly execution: Execution; readonly render: RenderInfo }
  | { readonly kind: 'options'; readonly allow: string }
  | { readonly kind: 'document'; readonly headers: Readonly<Record<string, string>>; readonly body: string | undefined };

/** Negotiation options that depend on the configuration and the database. */
export function negotiation(cache: SchemaCache, config: RestConfig): { planEnabled: boolean; singularAllowed: boolean; geojson: boolean } {
  const geojson = [...cache.routines.keys()].some((k) => k.endsWith('.st_asgeojson'));
  return { planEnabled: config.planEnabled, singularAllowed: true, geojson };
}

function validTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The request's transaction settings: search_path, Prefer timezone, query ids for verbose plans. */
export function txSettings(req: ApiRequest, config: RestConfig, negotiated: Negotiated): Array<readonly [string, string]> {
  const out: Array<readonly [string, string]> = [['search_path', searchPath(req.schema, config.extraSearchPath)]];
  if (req.prefer.timezone !== undefined && validTimezone(req.prefer.timezone)) out.push(['timezone', req.prefer.timezone]);
  if (negotiated.plan?.options.includes('verbose') === true) out.push(['compute_query_id', 'on']);
  return out;
}

export function searchPath(schema: string, extra: readonly string[]): string {
  // Not de-duplicated: PostgREST sets exactly the selected schema, then the extra ones.
  return [schema, ...extra].map((s) => `"${s.replaceAll('"', '""')}"`).join(', ');
}

/** Content-Location: the path with every query parameter, sorted by key. */
function contentLocation(name: string, params: ApiRequest['params']): string {
  const sorted = [...params].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const qs = new URLSearchParams(sorted.map(([k, v]): [string, string] => [k, v])).toString();
  return `/${encodeURIComponent(name)}${qs === '' ? '' : `?${qs}`}`;
}

export function rollbackWanted(req: ApiRequest, config: RestConfig): boolean {
  const overridable = config.txEnd.endsWith('allow-override');
  const preferred = overridable ? req.prefer.tx : undefined;
  return (preferred ?? (config.txEnd.startsWith('rollback') ? 'rollback' : 'commit')) === 'rollback';
}

export function appliedPreferences(req: ApiRequest, config: RestConfig, kinds: readonly string[]): string[] {
  const p = req.prefer;
  const out: string[] = [];
  for (const k of kinds) {
    if (k === 'resolution' && p.resolution !== undefined) out.push(`resolution=${p.resolution}`);
    if (k === 'missing' && p.missing !== undefined) out.push(`missing=${p.missing}`);
    if (k === 'return' && p.return !== undefined) out.push(`return=${p.return}`);
    if (k === 'count' && p.count !== undefined) out.push(`count=${p.count}`);
    if (k === 'tx' && p.tx !== undefined && config.txEnd.endsWith('allow-override')) out.push(`tx=${p.tx}`);
    if (k === 'handling' && p.handling !== undefined) out.push(`handling=${p.handling}`);
    if (k === 'timezone' && p.timezone !== undefined) out.push(`timezone=${p.timezone}`);
    if (k === 'max-affected' && p.maxAffected !== undefined && p.handling === 'strict') out.push(`max-affected=${p.maxAffected}`);
  }
  return out;
}

/** The Allow header of OPTIONS on a table or view. */
function allowFor(r: Relation): string {
  const m = ['OPTIONS', 'GET', 'HEAD'];
  if (r.insertable) m.push('POST');
  if (r.insertable && r.updatable && r.primaryKey.length > 0) m.push('PUT');
  if (r.updatable) m.push('PATCH');
  if (r.deletable) m.push('DELETE');
  return m.join(',');
}

function planRead(req: ApiRequest, cache: SchemaCache, config: RestConfig, name: string): RestPlan {
  const relation = resolveRelation(cache, req.schema, name);
  const negotiated = negotiate(req.accept, negotiation(cache, config));
  const ctx: ReadContext = { cache, schema: req.schema, exposed: config.schemas, aggregatesEnabled: config.aggregatesEnabled, maxRows: config.maxRows };
  const root = planReadTree(ctx, relation, relation.name, req, { rootFilters: true });
  const from = sql`${ident(relation.schema, relation.name)} AS ${ident(root.alias)}`;
  const count = req.prefer.count;
  const handler = negotiated.handler === 'plan' ? (negotiated.plan?.for ?? 'array') : negotiated.handler;
  const counted = count === 'exact' || count === 'estimated' ? countSql(root, from) : undefined;
  const statement = outerStatement({
    source: selectSql(root, from),
    rows: sql`SELECT * FROM pgrst_source`,
    ...(counted === undefined ? {} : { count: counted }),
    ...(count === 'estimated' && config.maxRows !== undefined ? { countCap: config.maxRows + 1 } : {}),
    body: { handler: handler === 'plan' ? 'array' : handler, stripNulls: negotiated.stripNulls, none: req.method === 'HEAD' },
  });
  return {
    kind: 'statement',
    execution: {
      statement,
      readOnly: true,
      settings: txSettings(req, config, negotiated),
      plannedCount: count === 'planned' || count === 'estimated' ? { rows: countSql(root, from), mode: count, cap: config.maxRows === undefined ? undefined : config.maxRows + 1 } : undefined,
      explain: negotiated.plan === undefined ? undefined : { format: negotiated.plan.format, options: negotiated.plan.options },
      singular: handler === 'object',
      maxAffected: undefined,
      exactlyOne: false,
      rollback: rollbackWanted(req, config),
    },
    render: {
      kind: 'read',
      negotiated,
      headOnly: req.method === 'HEAD',
      offset: req.range.offset,
      count,
      contentLocation: contentLocation(name, req.params),
      preferenceApplied: appliedPreferences(req, config, ['count', 'tx', 'handling', 'timezone']),
    },
  };
}

export function planRequest(req: ApiRequest, cache: SchemaCache, config: RestConfig): RestPlan {
  const t = req.target;
  if (t.kind === 'relation') {
    if (req.method === 'GET' || req.method === 'HEAD') return planRead(req, cache, config, t.name);
    if (req.method === 'OPTIONS') return { kind: 'options', allow: allowFor(resolveRelation(cache, req.schema, t.name)) };
    return planWrite(req, cache, config, t.name);
  }
  if (t.kind === 'routine') {
    if (req.method === 'OPTIONS') {
      const volatile = (cache.routines.get(`${req.schema}.${t.name}`) ?? []).some((r) => r.volatility === 'volatile');
      return { kind: 'options', allow: volatile ? 'OPTIONS,POST' : 'OPTIONS,GET,HEAD,POST' };
    }
    return planCall(req, cache, config, t.name);
  }
  if (req.method === 'OPTIONS') return { kind: 'options', allow: 'OPTIONS,GET,HEAD' };
  return planRoot(req, cache, config);
}
