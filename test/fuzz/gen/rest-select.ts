// The `select` parameter: columns, aliases, casts, JSON paths, embeds with hints, spreads
// and aggregates, from a table's real names, then broken in the ways a parser meets.
import type { Rng } from '../prng.ts';
import { JSON_COLUMNS, JSON_KEYS, TABLES, type TableInfo } from './schema.ts';
import { oddString } from './values.ts';

const CASTS = ['text', 'int', 'int4', 'bigint', 'numeric', 'json', 'jsonb', 'uuid', 'date', 'boolean', 'text[]', 'nonsense_type', 'varchar(3)', 'pg_catalog.text', 'regclass', 'tsvector', '"text"', ''];
const AGGREGATES = ['count', 'sum', 'avg', 'max', 'min', 'nonsense'];

export function tableInfo(name: string): TableInfo | undefined {
  return TABLES.find((t) => t.name === name);
}

function alias(r: Rng): string {
  return r.chance(0.2) ? `${r.pick(['a', 'x_1', 'Title', '"quoted"', '', 'select', 'a b', '1a'])}:` : '';
}

function cast(r: Rng): string {
  return r.chance(0.15) ? `::${r.pick(CASTS)}` : '';
}

export function jsonPath(r: Rng, column: string): string {
  const steps = r.many(r.int(1, 4), () => `${r.pick(['->', '->>', '->', '-->', '>'])}${r.chance(0.85) ? r.pick(JSON_KEYS) : oddString(r).slice(0, 40)}`);
  return column + steps.join('');
}

function column(r: Rng, t: TableInfo): string {
  const col = r.chance(0.9) ? r.pick(t.columns) : r.pick(['nonsense', 'ID', 'id ', '"id"', 'books', oddString(r).slice(0, 30)]);
  return r.weighted<() => string>([
    [8, () => `${alias(r)}${col}${cast(r)}`],
    [2, () => `${alias(r)}${jsonPath(r, r.chance(0.8) ? r.pick(JSON_COLUMNS) : col)}${cast(r)}`],
    [2, () => `${alias(r)}${col}.${r.pick(AGGREGATES)}()${cast(r)}`],
    [1, () => `${alias(r)}count()`],
  ])();
}

function embed(r: Rng, t: TableInfo, depth: number): string {
  const target = r.chance(0.85) && t.embeds.length > 0 ? r.pick(t.embeds) : r.pick(['nonsense', 'authors', 'books', 'other.notes', 'auth.users']);
  const hinted = r.chance(0.3) && t.hints.length > 0 ? r.pick(t.hints) : target;
  const spread = r.chance(0.15) ? '...' : '';
  const inner = tableInfo(target) ?? tableInfo('books');
  const list = inner === undefined || depth <= 0 ? '*' : selectList(r, inner, depth - 1);
  return `${spread}${spread === '' ? alias(r) : ''}${hinted}(${list})`;
}

/** A well-formed select list for table `t` (which may still name things that do not exist). */
export function selectList(r: Rng, t: TableInfo, depth = 2): string {
  const n = r.int(1, 5);
  return r
    .many(n, () =>
      r.weighted<() => string>([
        [2, () => '*'],
        [6, () => column(r, t)],
        [depth > 0 ? 3 : 0, () => embed(r, t, depth)],
      ])(),
    )
    .join(',');
}

/** Embeds nested `n` deep: books(authors(books(…))). */
function deepEmbed(n: number): string {
  let s = 'id';
  for (let i = 0; i < n; i++) s = `${i % 2 === 0 ? 'authors' : 'books'}(id,${s})`;
  return s;
}

/** The select parameter's value, raw (the caller encodes it for the URL). */
export function selectParam(r: Rng, t: TableInfo): string {
  return r.weighted<() => string>([
    [10, () => selectList(r, t)],
    // Past PostgreSQL's 1664 target-list entries, still under Node's 16 KiB header limit.
    [1, () => Array(r.pick([100, 1000, 1665, 1700, 2000])).fill(t.columns[0] ?? 'id').join(',')],
    [1, () => r.many(r.pick([200, 1700]), (i) => `c${i}:${t.columns[0] ?? 'id'}`).join(',')],
    [1, () => deepEmbed(r.pick([3, 10, 50, 200, 1000]))],
    [1, () => '('.repeat(r.size(5000)) + ')'.repeat(r.size(5000))],
    [1, () => mangle(r, selectList(r, t))],
    [1, () => r.pick(['', ',', '*,', ',,', '()', 'id(', 'id)', '...', '...*', 'a:', ':a', '::', '->', 'id->', 'id::', 'count()()', 'id.', '.count()', '!inner', '*(*)', 'books!(id)', 'books!!inner(id)'])],
  ])();
}

/** Breaks a string at a random place: drop, duplicate or inject a grammar character. */
export function mangle(r: Rng, s: string): string {
  const at = r.int(0, s.length);
  return r.weighted<() => string>([
    [2, () => s.slice(0, at)],
    [2, () => s.slice(0, at) + r.pick(['(', ')', ',', '.', ':', '!', '-', '>', '"', '\\', '\u0000', '*', ' ', '...']) + s.slice(at)],
    [1, () => s.slice(0, at) + s.slice(at + r.int(1, 5))],
    [1, () => s + s],
  ])();
}
