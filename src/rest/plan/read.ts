// Stage 2 for reads (and for the representation of writes and RPC results): the select
// tree resolved into levels joined by relationships, with each filter, logic tree, order
// and range attached to its level. Pure: schema cache and request in, plan out.
import type { SchemaCache } from '../../schema-cache/types.ts';
import { qualified } from '../../schema-cache/types.ts';
import { restErrors } from '../errors.ts';
import { closest } from '../fuzzy.ts';
import { REST_LIMITS } from '../request/limits.ts';
import type { ApiRequest, EmbedPath } from '../request/api-request.ts';
import type { Filter, FieldRef, LogicTree, SelectItem } from '../request/types.ts';
import { describeRelationship, matchRelationships, relationshipsOf, toOne, type QName } from './relationships.ts';
import type { Column, Condition, EmbedNode, OrderItem, OutputField, ReadNode, Relation } from './types.ts';

export interface ReadContext {
  readonly cache: SchemaCache;
  readonly schema: string;
  readonly exposed: readonly string[];
  readonly aggregatesEnabled: boolean;
  /** Applied to every level when set (GET/HEAD reads). */
  readonly maxRows: number | undefined;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends ReadonlyArray<infer U> ? U[] : T[K] };
type NodeDraft = Mutable<Omit<ReadNode, 'embeds'>> & { embeds: Array<Mutable<Omit<EmbedNode, 'child'>> & { child: NodeDraft }> };

export function resolveRelation(cache: SchemaCache, schema: string, name: string): Relation {
  const rel = cache.relations.get(qualified(schema, name));
  if (rel !== undefined) return rel;
  const names = [...cache.relations.values()].filter((r) => r.schema === schema).map((r) => r.name);
  throw restErrors.unknownTable(schema, name, closest(name, names));
}

const isJson = (c: Column | undefined) => c === undefined || c.udtName === 'json' || c.udtName === 'jsonb';

/** The output key of a selected column: its alias, else the last JSON key, else its name. */
function keyOf(field: FieldRef, alias: string | undefined): string {
  if (alias !== undefined) return alias;
  for (let i = field.jsonPath.length - 1; i >= 0; i--) {
    const k = field.jsonPath[i]?.key;
    if (typeof k === 'string') return k;
  }
  return field.name;
}

// Aliases follow PostgREST's scheme (<table>_<depth>, <parent>_<embed>_<depth>), so that
// even its failure for two same-named embeds at one level (42712) is reproduced.
function build(ctx: ReadContext, relation: Relation, alias: string, items: readonly SelectItem[], depth: number): NodeDraft {
  const node: NodeDraft = { relation, alias, fields: [], embeds: [], conditions: [], order: [], limit: ctx.maxRows, offset: undefined };
  const relationships = (relationshipsOf(ctx.cache).get(qualified(relation.schema, relation.name)) ?? []).filter(
    (r) => ctx.exposed.includes(r.target.schema) && (r.junction === undefined || ctx.exposed.includes(r.junction.table.schema)),
  );
  const isView = (t: QName) => ctx.cache.relations.get(qualified(t.schema, t.name))?.kind === 'view';
  for (const item of items) {
    if (item.kind === 'star') node.fields.push({ kind: 'star' });
    else if (item.kind === 'count') {
      if (!ctx.aggregatesEnabled) throw restErrors.aggregatesDisabled();
      node.fields.push({ kind: 'count', key: item.alias ?? 'count', cast: item.cast });
    } else if (item.kind === 'field') {
      if (item.aggregate !== undefined && !ctx.aggregatesEnabled) throw restErrors.aggregatesDisabled();
      const column = relation.columns.find((c) => c.name === item.field.name);
      const key = item.aggregate !== undefined && item.alias === undefined ? item.aggregate.fn : keyOf(item.field, item.alias);
      node.fields.push({ kind: 'column', field: item.field, jsonColumn: isJson(column), key, cast: item.cast, aggregate: item.aggregate });
    } else {
      const matches = matchRelationships(relationships, item.name, item.hint, isView);
      if (matches.length === 0) {
        throw restErrors.noRelationship(relation.name, item.name, ctx.schema, item.hint, item.hint === undefined ? relationshipSuggestion(ctx, relation, item.name) : undefined);
      }
      if (matches.length > 1) {
        const options = matches.map((r) => `'${item.name}!${r.junction?.table.name ?? r.constraint}'`).join(', ');
        throw restErrors.ambiguousRelationship(relation.name, item.name, matches.map(describeRelationship), `Try changing '${item.name}' to one of the following: ${options}. Find the desired relationship in the 'details' key.`);
      }
      const rel = matches[0] as (typeof matches)[number];
      const target = ctx.cache.relations.get(qualified(rel.target.schema, rel.target.name));
      if (target === undefined) throw restErrors.unknownTable(rel.target.schema, rel.target.name, undefined);
      const n = depth + 1;
      const key = item.alias ?? item.name;
      const child = build(ctx, target, `${target.name}_${n}`, item.select, n);
      if (toOne(rel)) child.limit = undefined;
      node.embeds.push({ key, relationship: rel, join: item.join ?? 'left', spread: item.spread, hidden: item.select.length === 0, lateral: `${relation.name}_${key}_${n}`, child });
    }
  }
  const columns = outputCount(node);
  if (columns > REST_LIMITS.columns) throw restErrors.tooManyColumns(relation.name, columns, REST_LIMITS.columns);
  return node;
}

/** The entries of a level's SELECT list (read-sql.ts): PostgreSQL takes at most 1664. */
function outputCount(node: NodeDraft): number {
  let n = 0;
  for (const f of node.fields) n += f.kind === 'star' ? node.relation.columns.length : 1;
  for (const e of node.embeds) if (!e.hidden) n += e.spread ? outputKeys(e.child).length : 1;
  return n;
}

/**
 * PGRST200's hint, as PostgREST picks it: the closest name among every relationship target
 * of the schema, offered only if it is related to the origin; for an origin with no
 * relationships at all, the closest origin name instead.
 */
function relationshipSuggestion(ctx: ReadContext, origin: Relation, target: string): { name: string; instead: string } | undefined {
  const all = [...relationshipsOf(ctx.cache).values()].flat().filter((r) => r.origin.schema === ctx.schema);
  const own = all.filter((r) => r.origin.name === origin.name);
  if (own.length > 0) {
    const best = closest(target, all.map((r) => r.target.name));
    return best !== undefined && own.some((r) => r.target.name === best) ? { name: best, instead: target } : undefined;
  }
  const best = closest(origin.name, all.map((r) => r.origin.name));
  return best === undefined ? undefined : { name: best, instead: origin.name };
}

/** The level an embed path names (by alias or by name), or PGRST108. */
function levelAt(root: NodeDraft, path: EmbedPath): NodeDraft {
  let node = root;
  for (const seg of path) {
    const next = node.embeds.find((e) => e.key === seg) ?? node.embeds.find((e) => e.relationship.target.name === seg);
    if (next === undefined) throw restErrors.notEmbedded(seg);
    node = next.child;
  }
  return node;
}

function condition(node: NodeDraft, f: Filter): Condition {
  const e = f.expr;
  if (f.field.jsonPath.length === 0 && e.op === 'is' && (e.value === 'null')) {
    const embed = node.embeds.find((x) => x.key === f.field.name);
    if (embed !== undefined) return { kind: 'embed-null', lateral: embed.lateral, toOne: toOne(embed.relationship), isNull: !e.negated };
  }
  return { kind: 'filter', field: f.field, expr: e, column: node.relation.columns.find((c) => c.name === f.field.name) };
}

function logic(node: NodeDraft, t: LogicTree): Condition {
  return { kind: 'logic', op: t.op, negated: t.negated, children: t.children.map((c) => (c.kind === 'logic' ? logic(node, c) : condition(node, c))) };
}

export function planReadTree(ctx: ReadContext, relation: Relation, alias: string, req: ApiRequest, options: { rootFilters: boolean }): ReadNode {
  const root = build(ctx, relation, alias, req.select, 0);
  for (const { path, filter } of req.filters) {
    if (path.length === 0 && !options.rootFilters) continue;
    const level = levelAt(root, path);
    level.conditions.push(condition(level, filter));
  }
  for (const { path, tree } of req.logic) {
    if (path.length === 0 && !options.rootFilters) continue;
    const level = levelAt(root, path);
    level.conditions.push(logic(level, tree));
  }
  for (const { path, terms } of req.order) {
    const level = levelAt(root, path);
    level.order = terms.map((t): OrderItem => {
      if (t.relation === undefined) {
        const column = level.relation.columns.find((c) => c.name === t.field.name);
        return { alias: level.alias, field: t.field, jsonColumn: isJson(column), direction: t.direction, nulls: t.nulls };
      }
      const embed = level.embeds.find((e) => e.key === t.relation) ?? level.embeds.find((e) => e.relationship.target.name === t.relation);
      if (embed === undefined) throw restErrors.notEmbedded(t.relation);
      if (!toOne(embed.relationship)) throw restErrors.relatedOrder(level.relation.name, t.relation);
      const column = embed.child.relation.columns.find((c) => c.name === t.field.name);
      return { alias: embed.lateral, field: t.field, jsonColumn: isJson(column), direction: t.direction, nulls: t.nulls };
    });
  }
  for (const { path, limit, offset } of req.ranges) {
    if (path.length === 0) continue;
    const level = levelAt(root, path);
    level.limit = limit === undefined ? level.limit : Math.min(limit, level.limit ?? limit);
    level.offset = offset;
  }
  root.offset = req.range.offset === 0 ? undefined : req.range.offset;
  const top = req.range.limit;
  root.limit = top === undefined ? root.limit : Math.min(top, root.limit ?? top);
  return root as ReadNode;
}

/** The keys a level contributes to its JSON objects (for spreads and CSV headers). */
export function outputKeys(node: ReadNode): string[] {
  const keys: string[] = [];
  for (const f of node.fields) keys.push(...(f.kind === 'star' ? node.relation.columns.map((c) => c.name) : [f.key]));
  for (const e of node.embeds) {
    if (e.hidden) continue;
    keys.push(...(e.spread ? outputKeys(e.child) : [e.key]));
  }
  return keys;
}

export type { OutputField };
