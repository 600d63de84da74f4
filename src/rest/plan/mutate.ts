// Stage 2 for writes: POST (insert, bulk, upsert), PATCH, PUT and DELETE on a table or an
// updatable view, with the representation (`return=representation`) planned as a read
// over the written rows.
import { ident, join, sql, type Sql } from '../../lib/sql.ts';
import type { SchemaCache } from '../../schema-cache/types.ts';
import type { RestConfig } from '../config.ts';
import { restErrors } from '../errors.ts';
import type { ApiRequest } from '../request/api-request.ts';
import { selectSql } from '../query/read-sql.ts';
import { bodyCte, deleteSql, insertSql, updateSql } from '../query/mutate-sql.ts';
import { outerStatement } from '../query/statement.ts';
import { negotiate } from './negotiate.ts';
import { appliedPreferences, negotiation, rollbackWanted, txSettings, type RestPlan } from './common.ts';
import { planReadTree, resolveRelation } from './read.ts';
import type { Column, Condition, ReadNode, Relation } from './types.ts';

function columnsNamed(relation: Relation, names: readonly string[]): Column[] {
  return names.map((n) => {
    const c = relation.columns.find((x) => x.name === n);
    if (c === undefined) throw restErrors.unknownColumn(n, relation.name);
    return c;
  });
}

/** PUT needs exactly the primary key, each with a plain eq filter, and nothing else. */
function putKey(req: ApiRequest, relation: Relation): Array<readonly [string, string]> {
  const pk = relation.primaryKey;
  const root = req.filters.filter((f) => f.path.length === 0);
  const plain = root.every((f) => f.filter.expr.op === 'eq' && !f.filter.expr.negated && f.filter.expr.quantifier === undefined && f.filter.field.jsonPath.length === 0);
  const names = root.map((f) => f.filter.field.name);
  if (pk.length === 0 || !plain || req.logic.some((l) => l.path.length === 0) || names.length !== pk.length || !pk.every((k) => names.includes(k))) {
    throw restErrors.putFilters();
  }
  return root.map((f) => [f.filter.field.name, (f.filter.expr as { value: string }).value] as const);
}

export function planWrite(req: ApiRequest, cache: SchemaCache, config: RestConfig, name: string): RestPlan {
  const relation = resolveRelation(cache, req.schema, name);
  const negotiated = negotiate(req.accept, negotiation(cache, config));
  const handler = negotiated.handler === 'plan' ? (negotiated.plan?.for ?? 'array') : negotiated.handler;
  const alias = relation.name;
  // Root filters restrict what PATCH/DELETE touch; embed filters only shape the representation.
  const tree = planReadTree({ cache, schema: req.schema, exposed: config.schemas, aggregatesEnabled: config.aggregatesEnabled, maxRows: undefined }, relation, alias, req, { rootFilters: true });
  const where: Condition[] = tree.conditions.filter((c) => c.kind !== 'embed-null');
  const representation: ReadNode = { ...tree, conditions: [], limit: undefined, offset: undefined };
  const returnPref = req.prefer.return ?? 'minimal';
  const payload = req.payload?.kind === 'rows' ? req.payload : { kind: 'rows' as const, rows: [], keys: [] };
  const names = req.columns ?? payload.keys;
  const missingDefault = req.prefer.missing === 'default';

  let before: Sql[] = [];
  let source: Sql;
  let kind: 'insert' | 'update' | 'delete' | 'put';
  let mergeDuplicates = false;
  let markInserted = false;
  let resolutionApplied = false;
  const key = req.method === 'PUT' ? putKey(req, relation) : undefined;

  if (req.method === 'POST' || req.method === 'PUT') {
    kind = req.method === 'PUT' ? 'put' : 'insert';
    const columns = columnsNamed(relation, names);
    const target = req.method === 'PUT' ? relation.primaryKey : (req.onConflict ?? relation.primaryKey);
    const resolution = req.method === 'PUT' ? 'merge-duplicates' : req.prefer.resolution;
    const conflict = resolution !== undefined && target.length > 0 ? { target, action: resolution === 'ignore-duplicates' ? ('ignore' as const) : ('merge' as const) } : undefined;
    resolutionApplied = req.method === 'POST' && conflict !== undefined;
    mergeDuplicates = conflict?.action === 'merge';
    markInserted = mergeDuplicates && relation.kind === 'table';
    const rows = req.method === 'PUT' ? payload.rows.slice(0, 2) : payload.rows;
    before = [bodyCte({ columns, rowsJson: JSON.stringify(rows), missingDefault })];
    source = insertSql({ relation, columns, conflict, ...(key === undefined ? {} : { keyFilter: key }), markInserted });
  } else if (req.method === 'PATCH') {
    kind = 'update';
    const first = payload.rows[0] ?? {};
    const columns = columnsNamed(relation, names);
    const present = columns.filter((c) => c.name in first);
    const absent = missingDefault && req.columns !== undefined ? columns.filter((c) => !(c.name in first)) : [];
    const set = missingDefault ? present : columns;
    if (set.length + absent.length === 0) {
      source = sql`SELECT ${ident(alias)}.* FROM ${ident(relation.schema, relation.name)} AS ${ident(alias)} WHERE false`;
    } else {
      before = [bodyCte({ columns: set, rowsJson: JSON.stringify([first]), missingDefault: false })];
      source = updateSql(relation, alias, set, absent, where);
    }
  } else {
    kind = 'delete';
    source = deleteSql(relation, alias, where);
  }

  const columnsOut = join(relation.columns.map((c) => ident(c.name)));
  const rowsFrom = sql`(SELECT ${columnsOut} FROM pgrst_source) AS ${ident(alias)}`;
  const wantsBody = returnPref === 'representation';
  const count = req.prefer.count === 'exact' || req.prefer.count === 'estimated' ? req.prefer.count : undefined;
  const pk = relation.primaryKey;
  const extras: Sql[] = [];
  if (markInserted) extras.push(sql`(SELECT pg_catalog.count(*) FROM pgrst_source WHERE pgrst_inserted)::int AS inserted`);
  if (returnPref === 'headers-only' && pk.length > 0) {
    extras.push(sql`(SELECT row_to_json(pgrst_location)::text FROM (SELECT ${join(pk.map((c) => ident(c)))} FROM pgrst_source) AS pgrst_location LIMIT 1) AS location`);
  }
  const statement = outerStatement({
    before: before.length === 0 ? [] : before,
    source,
    rows: selectSql(representation, rowsFrom),
    body: { handler: handler === 'plan' ? 'array' : handler, stripNulls: negotiated.stripNulls, none: !wantsBody },
    extras,
  });
  const prefs =
    kind === 'insert'
      ? ['resolution', 'missing', 'return', 'count', 'tx', 'handling', 'timezone'].filter((k) => k !== 'resolution' || resolutionApplied)
      : kind === 'update'
        ? ['return', 'count', 'tx', 'missing', 'handling', 'timezone', 'max-affected']
        : kind === 'delete'
          ? ['return', 'count', 'tx', 'handling', 'timezone', 'max-affected']
          : ['return', 'count', 'tx', 'handling', 'timezone'];
  const strictMax = req.prefer.handling === 'strict' && (kind === 'update' || kind === 'delete') ? req.prefer.maxAffected : undefined;
  return {
    kind: 'statement',
    execution: {
      statement,
      readOnly: false,
      settings: txSettings(req, config, negotiated),
      plannedCount: undefined,
      explain: negotiated.plan === undefined ? undefined : { format: negotiated.plan.format, options: negotiated.plan.options },
      singular: handler === 'object',
      maxAffected: strictMax,
      exactlyOne: kind === 'put',
      rollback: rollbackWanted(req, config),
    },
    render: {
      kind,
      negotiated,
      headOnly: false,
      offset: 0,
      count,
      contentLocation: undefined,
      preferenceApplied: appliedPreferences(req, config, prefs),
      write: { returnPref, mergeDuplicates, primaryKey: pk, table: relation.name },
    },
  };
}
