// Horizontal filters (every operator, `not.`, `any`/`all`, `in.()`, `is.`, full-text search),
// logic trees (`or=(…)`, `and=(…)`, nested thousands deep), order, limit and offset. Each
// generator returns raw `key=value` pairs; the request builder encodes them.
import type { Rng } from '../prng.ts';
import { jsonPath } from './rest-select.ts';
import { JSON_COLUMNS, type TableInfo } from './schema.ts';
import { filterValue, oddString } from './values.ts';

const OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'match', 'imatch', 'in', 'is', 'isdistinct', 'fts', 'plfts', 'phfts', 'wfts', 'cs', 'cd', 'ov', 'sl', 'sr', 'nxr', 'nxl', 'adj'] as const;
const QUANTIFIABLE = ['eq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'match', 'imatch'];
const FTS = ['fts', 'plfts', 'phfts', 'wfts'];

export type Param = readonly [key: string, value: string];

function operand(r: Rng, op: string): string {
  switch (op) {
    case 'in':
      return `(${r.many(r.size(8), () => (r.chance(0.2) ? `"${filterValue(r).replaceAll('"', '\\"')}"` : filterValue(r))).join(',')}${r.chance(0.05) ? '' : ')'}`;
    case 'is':
      return r.pick(['null', 'not_null', 'true', 'false', 'unknown', 'NULL', 'maybe', '']);
    case 'cs':
    case 'cd':
    case 'ov':
      return r.pick(['{all,t1}', '{}', '{"a,b"}', '{{1}}', '[1,10)', '(,)', '{"lang":"en"}', '[]', '{', oddString(r)]);
    case 'sl':
    case 'sr':
    case 'nxr':
    case 'nxl':
    case 'adj':
      return r.pick(['(1,10)', '[5,5]', '[10,)', 'empty', '(,)', '[2,1]', '1,2', oddString(r)]);
    case 'match':
    case 'imatch':
      return r.pick(['^Book', '.*', '(a|b)*c', '[', '(?<x>a)', '\\', '(a*)*b', '(((((((((a)))))))))', 'x{1000,}', oddString(r)]);
    case 'like':
    case 'ilike':
      return r.pick(['*Book*', 'Book%', '*', '%', '\\*', '***', '_', oddString(r)]);
    default:
      return filterValue(r);
  }
}

/** `op.value` with optional `not.`, quantifier or language; the part after `col=`. */
export function condition(r: Rng): string {
  const op = r.chance(0.95) ? r.pick(OPS) : r.pick(['approx', 'EQ', '', 'not', 'eq.eq', 'cs(any)', 'not.not']);
  const not = r.chance(0.15) ? 'not.' : '';
  if (QUANTIFIABLE.includes(op) && r.chance(0.15)) {
    return `${not}${op}(${r.pick(['any', 'all', 'some', ''])}).{${r.many(r.size(5), () => filterValue(r)).join(',')}${r.chance(0.1) ? '' : '}'}`;
  }
  if (FTS.includes(op) && r.chance(0.4)) return `${not}${op}(${r.pick(['english', 'simple', 'french', 'nonsense', '', "eng'lish"])}).${operand(r, op)}`;
  return `${not}${op}.${operand(r, op)}`;
}

function field(r: Rng, t: TableInfo): string {
  return r.weighted<() => string>([
    [8, () => r.pick(t.columns)],
    [2, () => jsonPath(r, r.pick(JSON_COLUMNS))],
    [1, () => `${r.pick(t.embeds.length > 0 ? t.embeds : ['nonsense'])}.${r.pick(['id', 'name', 'title', 'x'])}`],
    [1, () => r.pick(['nonsense', 'select', 'order', 'limit', '', 'id.id', 'ID', oddString(r).slice(0, 50)])],
  ])();
}

/** A logic tree's body, `(…)`, `depth` levels of nesting at most. */
export function logicTree(r: Rng, t: TableInfo, depth: number): string {
  const items = r.many(r.int(1, 4), () => {
    if (depth > 0 && r.chance(0.35)) return `${r.chance(0.2) ? 'not.' : ''}${r.pick(['or', 'and'])}${logicTree(r, t, depth - 1)}`;
    return `${field(r, t)}.${condition(r)}`;
  });
  return `(${items.join(',')})`;
}

/** A tree thousands of levels deep, or of hundreds or thousands of conditions (kept under Node's 16 KiB header limit). */
function hugeTree(r: Rng): string {
  if (r.chance(0.5)) {
    const n = r.pick([100, 500, 1000, 2500]);
    return r.chance(0.5) ? `(${'or('.repeat(n)}id.eq.1${')'.repeat(n)})` : `(${'not.and('.repeat(n / 4)}id.eq.1${')'.repeat(n / 4)})`;
  }
  return `(${r.many(r.pick([100, 1000, 1500]), (i) => `id.eq.${i}`).join(',')})`;
}

export function filters(r: Rng, t: TableInfo): Param[] {
  const out: Param[] = [];
  const n = r.size(6);
  for (let i = 0; i < n; i++) {
    out.push(
      r.weighted<() => Param>([
        [8, () => [field(r, t), condition(r)]],
        [3, () => [`${r.chance(0.2) ? 'not.' : ''}${r.pick(['or', 'and'])}`, logicTree(r, t, r.int(0, 4))]],
        [1, () => [`${r.pick(t.embeds.length > 0 ? t.embeds : ['x'])}.${r.pick(['or', 'and'])}`, logicTree(r, t, 1)]],
        [1, () => [r.pick(['or', 'and']), hugeTree(r)]],
        [1, () => [r.pick(['or', 'and']), r.pick(['', '()', '(', ')', '(id.eq.1', 'id.eq.1', '(or())', '(,)', '(and(id.eq.1),)', '(id.eq.1)garbage'])]],
      ])(),
    );
  }
  return out;
}

export function ordering(r: Rng, t: TableInfo): Param[] {
  const out: Param[] = [];
  if (r.chance(0.4)) {
    const terms = r.many(r.size(4), () => {
      const f = r.chance(0.8) ? r.pick(t.columns) : r.chance(0.5) ? jsonPath(r, r.pick(JSON_COLUMNS)) : oddString(r).slice(0, 30);
      const dir = r.pick(['', '.asc', '.desc', '.sideways']);
      const nulls = r.pick(['', '', '.nullsfirst', '.nullslast', '.nullsmiddle']);
      return `${f}${dir}${nulls}`;
    });
    out.push([r.chance(0.1) && t.embeds.length > 0 ? `${r.pick(t.embeds)}.order` : 'order', terms.join(',')]);
  }
  const count = () => r.pick(['0', '1', '5', '1000', '-1', '2147483648', '99999999999999999999', 'x', '', '1.5', '1e3']);
  if (r.chance(0.3)) out.push([r.chance(0.1) && t.embeds.length > 0 ? `${r.pick(t.embeds)}.limit` : 'limit', count()]);
  if (r.chance(0.2)) out.push([r.chance(0.1) && t.embeds.length > 0 ? `${r.pick(t.embeds)}.offset` : 'offset', count()]);
  return out;
}
