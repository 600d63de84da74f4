// Stage 2 entry: an ApiRequest and the schema cache become a RestPlan: the statement to
// run, how to run it (read-only, checks, rollback) and what the renderer needs to know.
// Reads are planned here; writes, RPC and the root in their own modules.
import { ident, sql } from '../../lib/sql.ts';
import type { SchemaCache } from '../../schema-cache/types.ts';
import type { RestConfig } from '../config.ts';
import type { ApiRequest } from '../request/api-request.ts';
import { countSql, selectSql } from '../query/read-sql.ts';
import { outerStatement } from '../query/statement.ts';
import { negotiate } from './negotiate.ts';
import { planReadTree, resolveRelation, type ReadContext } from './read.ts';
import type { Relation } from './types.ts';
import { appliedPreferences, negotiation, rollbackWanted, txSettings, type RestPlan } from './common.ts';
import { planWrite } from './mutate.ts';
import { planCall } from './call.ts';
import { planRoot } from './root.ts';

/**
 * Content-Location echoes the query, re-encoded (often longer than sent); clients cap the
 * response headers they read (Node's fetch at 16 KB in all), so past this it is left out.
 */
export const CONTENT_LOCATION_MAX = 4096;

/** Content-Location: the path with every query parameter, sorted by key; undefined when too long. */
export function contentLocation(name: string, params: ApiRequest['params']): string | undefined {
  const sorted = [...params].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const qs = new URLSearchParams(sorted.map(([k, v]): [string, string] => [k, v])).toString();
  const value = `/${encodeURIComponent(name)}${qs === '' ? '' : `?${qs}`}`;
  return value.length > CONTENT_LOCATION_MAX ? undefined : value;
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

export type { Execution, RenderInfo, RestPlan } from './common.ts';
