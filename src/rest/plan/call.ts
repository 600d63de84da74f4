// Stage 2 for RPC: GET/HEAD/POST /rpc/<fn>. The chosen function is called in FROM, so
// functions returning rows take select, filters, order, limits, counts and embeds like a
// table; scalars come back as the JSON value; void answers 204.
import { empty, ident, join, raw, sql, type Sql } from '../../lib/sql.ts';
import type { SchemaCache } from '../../schema-cache/types.ts';
import { qualified } from '../../schema-cache/types.ts';
import type { RestConfig } from '../config.ts';
import { restErrors } from '../errors.ts';
import type { ApiRequest } from '../request/api-request.ts';
import { essence } from '../request/payload.ts';
import { arrayLiteral, countSql, selectSql } from '../query/read-sql.ts';
import { outerStatement } from '../query/statement.ts';
import { negotiate } from './negotiate.ts';
import { appliedPreferences, negotiation, rollbackWanted, txSettings, type RestPlan } from './common.ts';
import { planReadTree } from './read.ts';
import { chooseRoutine, unnamedInput, type ChosenRoutine } from './routine.ts';
import type { Relation, RoutineInfo } from './types.ts';

type ReturnShape = 'void' | 'scalar' | 'scalar-set' | 'row' | 'rows';

function shapeOf(r: RoutineInfo): ReturnShape {
  if (r.returnType === 'void') return 'void';
  const outs = r.args.some((a) => a.mode === 'out' || a.mode === 'inout' || a.mode === 'table');
  const composite = r.returnsRelation !== null || r.returnColumns.length > 0 || outs || r.returnType === 'record';
  if (composite) return r.returnsSet ? 'rows' : 'row';
  return r.returnsSet ? 'scalar-set' : 'scalar';
}

/** The row type a function returns: its table or view, its composite type's columns, or its OUT/TABLE columns. */
function resultRelation(cache: SchemaCache, r: RoutineInfo): Relation {
  if (r.returnsRelation !== null) {
    const rel = cache.relations.get(qualified(r.returnsRelation.schema, r.returnsRelation.name));
    if (rel !== undefined) return rel;
  }
  const declared = r.returnColumns.length > 0 ? r.returnColumns : r.args.filter((a) => a.mode === 'out' || a.mode === 'inout' || a.mode === 'table');
  const columns = declared.map((a, i) => ({ name: a.name, position: i + 1, type: a.type, typeOid: a.typeOid, udtName: a.type, nullable: true, default: null, identity: null, generated: false, enumValues: null, comment: null }));
  return { schema: r.schema, name: r.name, kind: 'view', comment: null, rlsEnabled: false, insertable: false, updatable: false, deletable: false, columns, primaryKey: [], uniqueKeys: [] };
}

const inputs = (r: RoutineInfo) => r.args.filter((a) => a.mode === 'in' || a.mode === 'inout' || a.mode === 'variadic');

interface Call {
  readonly before: Sql[];
  readonly from: Sql;
  readonly args: Sql;
}

function callArgs(req: ApiRequest, chosen: ChosenRoutine): Call {
  const r = chosen.routine;
  if (chosen.style === 'single-raw') {
    const p = req.payload;
    const data = p?.kind === 'raw' ? p.data : Buffer.alloc(0);
    const type = inputs(r)[0]?.type ?? 'text';
    const value = type === 'bytea' ? `\\x${data.toString('hex')}` : data.toString('utf8');
    return { before: [], from: empty, args: sql`${value}::${raw(type)}` };
  }
  if (chosen.style === 'single-json') {
    const p = req.payload;
    const value = p?.kind === 'args' ? JSON.stringify(p.value) : '{}';
    return { before: [], from: empty, args: sql`${value}::${raw(inputs(r)[0]?.type ?? 'json')}` };
  }
  const unnamed = unnamedInput(r);
  if (unnamed !== undefined) {
    // One unnamed parameter, given as the key '': passed by position.
    const p = req.payload;
    const body = p?.kind === 'args' && typeof p.value === 'object' && p.value !== null ? (p.value as Record<string, unknown>)[''] : req.rpcArgs.find(([k]) => k === '')?.[1];
    const json = unnamed.type === 'json' || unnamed.type === 'jsonb';
    const value = body === undefined ? undefined : json ? JSON.stringify(body) : typeof body === 'string' ? body : JSON.stringify(body);
    return { before: [], from: empty, args: value === undefined ? empty : sql`${value}::${raw(unnamed.type)}` };
  }
  if (req.method === 'POST') {
    const p = req.payload;
    const body = p?.kind === 'args' ? (Array.isArray(p.value) ? (p.value[0] ?? {}) : p.value) : {};
    const keys = new Set(Object.keys(typeof body === 'object' && body !== null ? body : {}));
    const used = inputs(r).filter((a) => keys.has(a.name) && (req.columns === undefined || req.columns.includes(a.name)));
    if (used.length === 0) return { before: [], from: empty, args: empty };
    const record = join(used.map((a) => sql`${ident(a.name)} ${raw(a.type)}`));
    return {
      before: [sql`pgrst_args AS (SELECT * FROM json_to_record(${JSON.stringify(body)}::json) AS _(${record}))`],
      from: sql`pgrst_args, `,
      args: join(used.map((a) => sql`${raw(a.mode === 'variadic' ? 'VARIADIC ' : '')}${ident(a.name)} := ${ident('pgrst_args', a.name)}`)),
    };
  }
  const given = new Map<string, string[]>();
  for (const [k, v] of req.rpcArgs) given.set(k, [...(given.get(k) ?? []), v]);
  const used = inputs(r).filter((a) => given.has(a.name));
  return {
    before: [],
    from: empty,
    args: join(
      used.map((a) => {
        const values = given.get(a.name) as string[];
        if (a.mode === 'variadic') {
          const v = values.length === 1 && (values[0] ?? '').startsWith('{') ? (values[0] as string) : arrayLiteral(values);
          return sql`VARIADIC ${ident(a.name)} := ${v}::${raw(a.type)}`;
        }
        return sql`${ident(a.name)} := ${values.at(-1) as string}::${raw(a.type)}`;
      }),
    ),
  };
}

export function planCall(req: ApiRequest, cache: SchemaCache, config: RestConfig, name: string): RestPlan {
  const keys =
    req.method === 'POST'
      ? (() => {
          const p = req.payload;
          const v = p?.kind === 'args' ? (Array.isArray(p.value) ? p.value[0] : p.value) : undefined;
          const all = typeof v === 'object' && v !== null ? Object.keys(v) : [];
          return req.columns === undefined ? all : all.filter((k) => req.columns?.includes(k));
        })()
      : [...new Set(req.rpcArgs.map(([k]) => k))];
  const bodyKind = req.method !== 'POST' ? 'none' : req.payload?.kind === 'raw' ? (essence(req.payload.mediaType) as 'text/plain') : 'json';
  const chosen = chooseRoutine(cache, req.schema, name, keys, bodyKind);
  const r = chosen.routine;
  const shape = shapeOf(r);
  const strict = req.prefer.handling === 'strict' && req.prefer.maxAffected !== undefined;
  if (strict && shape !== 'rows' && shape !== 'scalar-set') throw restErrors.maxAffectedRpc();
  const negotiated = negotiate(req.accept, negotiation(cache, config));
  const handler = negotiated.handler === 'plan' ? (negotiated.plan?.for ?? 'array') : negotiated.handler;
  const call = callArgs(req, chosen);
  const fn = sql`${ident(r.schema, r.name)}(${call.args})`;
  const read = req.method !== 'POST';
  const count = req.prefer.count;

  let source: Sql;
  let rows: Sql;
  let counted: Sql | undefined;
  let scalar: 'single' | 'set' | undefined;
  if (shape === 'void' || shape === 'scalar') {
    source = sql`SELECT ${fn} AS pgrst_scalar${call.before.length === 0 ? empty : sql` FROM pgrst_args`}`;
    rows = sql`SELECT * FROM pgrst_source`;
    scalar = 'single';
    counted = count === 'exact' || count === 'estimated' ? sql`SELECT 1 FROM pgrst_source` : undefined;
  } else if (shape === 'scalar-set') {
    source = sql`SELECT pgrst_call.pgrst_scalar FROM ${call.from}LATERAL ${fn} AS pgrst_call(pgrst_scalar)`;
    rows = sql`SELECT * FROM pgrst_source`;
    scalar = 'set';
    counted = count === 'exact' || count === 'estimated' ? sql`SELECT 1 FROM pgrst_source` : undefined;
  } else {
    source = sql`SELECT pgrst_call.* FROM ${call.from}LATERAL ${fn} AS pgrst_call`;
    const relation = resultRelation(cache, r);
    const ctx = { cache, schema: req.schema, exposed: config.schemas, aggregatesEnabled: config.aggregatesEnabled, maxRows: read ? config.maxRows : undefined };
    const tree = planReadTree(ctx, relation, relation.name, req, { rootFilters: true });
    const from = sql`pgrst_source AS ${ident(tree.alias)}`;
    rows = selectSql(tree, from);
    counted = count === 'exact' || count === 'estimated' ? countSql(tree, from) : undefined;
  }
  const single = shape === 'row';
  const statement = outerStatement({
    before: call.before,
    source,
    rows,
    ...(counted === undefined ? {} : { count: counted }),
    body: { handler: single ? 'object' : handler === 'plan' ? 'array' : handler, stripNulls: negotiated.stripNulls, none: req.method === 'HEAD' || shape === 'void' },
    ...(scalar === undefined ? {} : { scalar }),
  });
  return {
    kind: 'statement',
    execution: {
      statement,
      readOnly: read || r.volatility !== 'volatile',
      settings: txSettings(req, config, negotiated),
      plannedCount: undefined,
      explain: negotiated.plan === undefined ? undefined : { format: negotiated.plan.format, options: negotiated.plan.options },
      singular: handler === 'object' && !single,
      maxAffected: strict ? req.prefer.maxAffected : undefined,
      exactlyOne: false,
      rollback: rollbackWanted(req, config),
    },
    render: {
      kind: 'call',
      negotiated: single && handler === 'array' ? { ...negotiated, handler: 'object' } : negotiated,
      headOnly: req.method === 'HEAD',
      offset: req.range.offset,
      count,
      contentLocation: undefined,
      preferenceApplied: appliedPreferences(req, config, ['count', 'tx', 'handling', 'timezone', 'max-affected']),
      void: shape === 'void',
    },
  };
}
