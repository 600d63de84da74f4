// Stage 3 for reads: a ReadNode becomes one SELECT. Embeds are LATERAL subqueries (to-one:
// the row as JSON; to-many: json_agg of the child rows), so PostgreSQL builds all the JSON.
// Every value is a parameter and every name an identifier; the only raw text is keywords,
// operators from a fixed table, and casts the parser limited to [letters digits _ $ space].
import { empty, ident, join, raw, sql, type Sql } from '../../lib/sql.ts';
import type { JsonStep, OpExpr } from '../request/types.ts';
import { toOne } from '../plan/relationships.ts';
import type { Condition, EmbedNode, OrderItem, OutputField, ReadNode } from '../plan/types.ts';
import { outputKeys } from '../plan/read.ts';

const OPERATORS: Readonly<Record<string, string>> = {
  eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=', like: 'LIKE', ilike: 'ILIKE', match: '~', imatch: '~*',
  isdistinct: 'IS DISTINCT FROM', cs: '@>', cd: '<@', ov: '&&', sl: '<<', sr: '>>', nxr: '&<', nxl: '&>', adj: '-|-',
};
const FTS: Readonly<Record<string, string>> = { fts: 'to_tsquery', plfts: 'plainto_tsquery', phfts: 'phraseto_tsquery', wfts: 'websearch_to_tsquery' };
const IS: Readonly<Record<string, string>> = { null: 'IS NULL', not_null: 'IS NOT NULL', true: 'IS TRUE', false: 'IS FALSE', unknown: 'IS UNKNOWN' };

function jsonSteps(base: Sql, steps: readonly JsonStep[]): Sql {
  return steps.reduce<Sql>((acc, s) => sql`${acc}${raw(s.arrow)}${typeof s.key === 'number' ? sql`${s.key}::int` : sql`${s.key}::text`}`, base);
}

/** `alias.col`, with a JSON path when given (non-JSON columns go through to_jsonb). */
export function columnExpr(alias: string, name: string, steps: readonly JsonStep[], jsonColumn: boolean): Sql {
  const col = ident(alias, name);
  if (steps.length === 0) return col;
  return jsonSteps(jsonColumn ? col : sql`to_jsonb(${col})`, steps);
}

const withCast = (e: Sql, cast: string | undefined) => (cast === undefined ? e : sql`CAST(${e} AS ${raw(cast)})`);

/** A PostgreSQL array literal for `in.(…)`: every element quoted, \ and " escaped. */
export function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${(v.split('\u0000')[0] ?? '').replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}

function filterExpr(lhs: Sql, e: OpExpr, tsvectorColumn: boolean | undefined): Sql {
  let out: Sql;
  if (e.op === 'in') out = sql`${lhs} = ANY(${arrayLiteral(e.values)})`;
  else if (e.op === 'is') out = sql`${lhs} ${raw(IS[e.value] as string)}`;
  else if ('language' in e) {
    const fn = raw(FTS[e.op] as string);
    const lang = e.language;
    const vector = tsvectorColumn === false ? (lang === undefined ? sql`to_tsvector(${lhs})` : sql`to_tsvector(${lang}::regconfig, ${lhs})`) : lhs;
    out = lang === undefined ? sql`${vector} @@ ${fn}(${e.value})` : sql`${vector} @@ ${fn}(${lang}::regconfig, ${e.value})`;
  } else {
    const op = raw(OPERATORS[e.op] as string);
    const like = e.op === 'like' || e.op === 'ilike';
    const value = like ? e.value.replaceAll('*', '%') : e.value;
    out = e.quantifier === undefined ? sql`${lhs} ${op} ${value}` : sql`${lhs} ${op} ${raw(e.quantifier === 'any' ? 'ANY' : 'ALL')}(${value})`;
  }
  return e.negated ? sql`NOT (${out})` : out;
}

export function conditionSql(alias: string, c: Condition): Sql {
  switch (c.kind) {
    case 'filter': {
      const jsonColumn = c.column === undefined || c.column.udtName === 'json' || c.column.udtName === 'jsonb';
      const tsvector = c.column === undefined ? undefined : c.column.udtName === 'tsvector';
      return filterExpr(columnExpr(alias, c.field.name, c.field.jsonPath, jsonColumn), c.expr, tsvector);
    }
    case 'logic': {
      const inner = join(c.children.map((x) => conditionSql(alias, x)), c.op === 'or' ? ' OR ' : ' AND ');
      return c.negated ? sql`NOT (${inner})` : sql`(${inner})`;
    }
    case 'embed-null': {
      const target = c.toOne ? ident(c.lateral) : ident(c.lateral, 'body');
      return c.isNull ? sql`${target} IS NOT DISTINCT FROM NULL` : sql`${target} IS DISTINCT FROM NULL`;
    }
  }
}

function orderSql(items: readonly OrderItem[]): Sql {
  if (items.length === 0) return empty;
  const terms = items.map((o) => {
    const dir = o.direction === undefined ? empty : raw(o.direction === 'asc' ? ' ASC' : ' DESC');
    const nulls = o.nulls === undefined ? empty : raw(o.nulls === 'first' ? ' NULLS FIRST' : ' NULLS LAST');
    return sql`${columnExpr(o.alias, o.field.name, o.field.jsonPath, o.jsonColumn)}${dir}${nulls}`;
  });
  return sql` ORDER BY ${join(terms)}`;
}

function rangeSql(limit: number | undefined, offset: number | undefined): Sql {
  const l = limit === undefined ? empty : sql` LIMIT ${limit}`;
  const o = offset === undefined ? empty : sql` OFFSET ${offset}`;
  return sql`${l}${o}`;
}

/** A selected column's expression (without its output name). */
function columnField(alias: string, f: Extract<OutputField, { kind: 'column' }>): Sql {
  const e = withCast(columnExpr(alias, f.field.name, f.field.jsonPath, f.jsonColumn), f.cast);
  return f.aggregate === undefined ? e : withCast(sql`${raw(f.aggregate.fn)}(${e})`, f.aggregate.cast);
}

function fieldSql(alias: string, f: OutputField): Sql {
  switch (f.kind) {
    case 'star':
      return sql`${ident(alias)}.*`;
    case 'count':
      return sql`${withCast(sql`pg_catalog.count(*)`, f.cast)} AS ${ident(f.key)}`;
    case 'column':
      return sql`${columnField(alias, f)} AS ${ident(f.key)}`;
  }
}

/** How the child rows of an embed are tied to its parent's row. */
function joinConditions(parentAlias: string, e: EmbedNode): { from: Sql; where: Sql[] } {
  const r = e.relationship;
  const child = e.child;
  if (r.computed !== undefined) {
    // The function takes the parent's row (cast: a written or returned row is an anonymous record).
    const fn = ident(r.computed.schema, r.computed.name);
    return { from: sql`${fn}(${ident(parentAlias)}::${ident(r.computed.param.schema, r.computed.param.name)}) AS ${ident(child.alias)}`, where: [] };
  }
  const table = sql`${ident(child.relation.schema, child.relation.name)} AS ${ident(child.alias)}`;
  if (r.junction === undefined) {
    return { from: table, where: r.columns.map(([o, t]) => sql`${ident(child.alias, t)} = ${ident(parentAlias, o)}`) };
  }
  const j = `${child.alias}_junction`;
  return {
    from: sql`${table}, ${ident(r.junction.table.schema, r.junction.table.name)} AS ${ident(j)}`,
    where: [
      ...r.junction.targetColumns.map(([jc, tc]) => sql`${ident(j, jc)} = ${ident(child.alias, tc)}`),
      ...r.junction.originColumns.map(([jc, oc]) => sql`${ident(j, jc)} = ${ident(parentAlias, oc)}`),
    ],
  };
}

function lateralSql(parentAlias: string, e: EmbedNode): Sql {
  const { from, where } = joinConditions(parentAlias, e);
  const inner = selectSql(e.child, from, where);
  const kind = raw(e.join === 'inner' ? 'INNER JOIN LATERAL' : 'LEFT JOIN LATERAL');
  if (toOne(e.relationship)) return sql` ${kind} (${inner}) AS ${ident(e.lateral)} ON TRUE`;
  const aggregates = e.spread
    ? join(outputKeys(e.child).map((k) => sql`json_agg(${ident('sub', k)})::jsonb AS ${ident(k)}`))
    : sql`json_agg(${ident('sub')})::jsonb AS ${ident('body')}`;
  // An aggregate over no rows still yields one row; for !inner, HAVING removes it.
  const having = e.join === 'inner' ? sql` HAVING pg_catalog.count(*) > 0` : empty;
  return sql` ${kind} (SELECT ${aggregates} FROM (${inner}) AS ${ident('sub')}${having}) AS ${ident(e.lateral)} ON TRUE`;
}

/** An embed's output expressions with their keys. */
function embedExprs(e: EmbedNode): Array<[Sql, string]> {
  if (e.hidden) return [];
  if (toOne(e.relationship)) {
    if (e.spread) return outputKeys(e.child).map((k) => [ident(e.lateral, k), k]);
    return [[sql`row_to_json(${ident(e.lateral)}.*)::jsonb`, e.key]];
  }
  if (e.spread) return outputKeys(e.child).map((k) => [sql`COALESCE(${ident(e.lateral, k)}, '[]')`, k]);
  return [[sql`COALESCE(${ident(e.lateral, 'body')}, '[]')`, e.key]];
}

function embedFields(e: EmbedNode): Sql[] {
  return embedExprs(e).map(([expr, key]) => sql`${expr} AS ${ident(key)}`);
}

/** GROUP BY when a level aggregates: every non-aggregated output, by expression. */
function groupBy(node: ReadNode): Sql {
  const aggregated = node.fields.some((f) => f.kind === 'count' || (f.kind === 'column' && f.aggregate !== undefined));
  if (!aggregated) return empty;
  const terms: Sql[] = [];
  for (const f of node.fields) {
    if (f.kind === 'star') terms.push(...node.relation.columns.map((c) => ident(node.alias, c.name)));
    if (f.kind === 'column' && f.aggregate === undefined) terms.push(columnField(node.alias, f));
  }
  for (const e of node.embeds) terms.push(...embedExprs(e).map(([expr]) => expr));
  return terms.length === 0 ? empty : sql` GROUP BY ${join(terms)}`;
}

/** SELECT for one level: `from` names this level's rows, `where` ties them to the parent. */
export function selectSql(node: ReadNode, from: Sql, where: readonly Sql[] = []): Sql {
  const fields = [...node.fields.map((f) => fieldSql(node.alias, f)), ...node.embeds.flatMap(embedFields)];
  const laterals = node.embeds.map((e) => lateralSql(node.alias, e));
  const conditions = [...where, ...node.conditions.map((c) => conditionSql(node.alias, c))];
  const whereSql = conditions.length === 0 ? empty : sql` WHERE ${join(conditions, ' AND ')}`;
  return sql`SELECT ${fields.length === 0 ? empty : join(fields)} FROM ${from}${join(laterals, '')}${whereSql}${groupBy(node)}${orderSql(node.order)}${rangeSql(node.limit, node.offset)}`;
}

/** The rows a count needs: same joins and conditions, no output, order or range. */
export function countSql(node: ReadNode, from: Sql): Sql {
  const laterals = node.embeds.filter((e) => e.join === 'inner' || node.conditions.some((c) => usesLateral(c, e.lateral))).map((e) => lateralSql(node.alias, e));
  const conditions = node.conditions.map((c) => conditionSql(node.alias, c));
  const whereSql = conditions.length === 0 ? empty : sql` WHERE ${join(conditions, ' AND ')}`;
  return sql`SELECT 1 FROM ${from}${join(laterals, '')}${whereSql}`;
}

function usesLateral(c: Condition, lateral: string): boolean {
  if (c.kind === 'embed-null') return c.lateral === lateral;
  if (c.kind === 'logic') return c.children.some((x) => usesLateral(x, lateral));
  return false;
}
