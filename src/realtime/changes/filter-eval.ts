// Conditions checked against the table's column types once, at subscribe time (Realtime rejects
// an uncastable value, a bad regex or an operator the type lacks then), and evaluated per changed
// row with SQL's three-valued logic: a comparison with NULL is NULL, and NOT NULL is still NULL,
// so neither matches. Only `is` and `isdistinct` are null-safe.
import { codecFor, type Key } from './filter-codecs.ts';
import type { Condition, FilterOp, Parsed } from './filter-parse.ts';

export type { Key };
export type CompareOp = 'eq' | 'neq' | 'lt' | 'lte' | 'gt' | 'gte';

/** What a condition checks, with its value already converted. */
export type Test =
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly value: Key }
  | { readonly kind: 'in'; readonly values: ReadonlySet<Key> }
  | { readonly kind: 'like'; readonly pattern: readonly LikeToken[]; readonly caseless: boolean }
  | { readonly kind: 'regex'; readonly regex: RegExp }
  | { readonly kind: 'is'; readonly value: 'null' | 'true' | 'false' | 'unknown' }
  /** value null is SQL NULL. */
  | { readonly kind: 'distinct'; readonly value: Key | null };

export interface TypedCondition {
  readonly column: string;
  readonly op: FilterOp;
  readonly negate: boolean;
  /** The column's pg_type.typname. */
  readonly type: string;
  /** The row's value (as to_jsonb renders it) → key; undefined for NULL or a value of the wrong shape. */
  readonly read: (value: unknown) => Key | undefined;
  readonly test: Test;
}

// UTF-16 order differs from code point order (Postgres' "C" order) only where a surrogate meets
// U+E000–U+FFFF: move the surrogates above them.
const fixup = (c: number): number => (c < 0xd800 ? c : c >= 0xe000 ? c - 0x800 : c + 0x2000);

/** Postgres order: numbers with NaN equal to itself and above everything; strings by code point. */
function compareKeys(a: Key, b: Key): number {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number(Number.isNaN(a)) - Number(Number.isNaN(b));
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const x = String(a);
  const y = String(b);
  if (x === y) return 0;
  for (let i = 0; i < x.length && i < y.length; i++) {
    const cx = x.charCodeAt(i);
    const cy = y.charCodeAt(i);
    if (cx !== cy) return fixup(cx) - fixup(cy);
  }
  return x.length - y.length;
}

/** A LIKE pattern as code points, with `%` (any run) and `_` (one character) as these two objects. */
export type LikeToken = string | { readonly wildcard: '%' | '_' };
const ANY: LikeToken = { wildcard: '%' };
const ONE: LikeToken = { wildcard: '_' };

/** Undefined when the pattern ends with the escape character `\`, as Postgres refuses it. */
function likePattern(pattern: string, caseless: boolean): LikeToken[] | undefined {
  const tokens: LikeToken[] = [];
  let escaped = false;
  for (const ch of caseless ? pattern.toLowerCase() : pattern) {
    if (escaped || (ch !== '\\' && ch !== '%' && ch !== '_')) tokens.push(ch);
    else if (ch === '%') tokens.push(ANY);
    else if (ch === '_') tokens.push(ONE);
    escaped = !escaped && ch === '\\';
  }
  return escaped ? undefined : tokens;
}

// Wildcard matching that backtracks only to the last `%`: O(text × pattern) at worst. A RegExp of
// `.*a.*a.*b` backtracks exponentially in the number of `%`, and one subscriber's filter runs on
// every change of the table.
function likeMatch(pattern: readonly LikeToken[], text: readonly string[]): boolean {
  let t = 0;
  let p = 0;
  let star = -1; // the last `%` seen, and where in the text it started matching
  let mark = 0;
  while (t < text.length) {
    const token = pattern[p];
    if (token === ANY) {
      star = p++;
      mark = t;
    } else if (token !== undefined && (token === ONE || token === text[t])) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1; // let the last `%` take one more character
      t = ++mark;
    } else return false;
  }
  while (pattern[p] === ANY) p++;
  return p === pattern.length;
}

/**
 * POSIX ARE → JavaScript: close enough for filters; `.` matches newlines in Postgres too. Unlike
 * Postgres' engine, JavaScript's backtracks, so a pathological pattern costs time per row.
 */
function posixRegExp(source: string, caseless: boolean): RegExp | undefined {
  // Unicode mode matches by code point but refuses escapes Postgres allows (`\-`); fall back.
  for (const flags of ['su', 's']) {
    try {
      return new RegExp(source, caseless ? `${flags}i` : flags);
    } catch {
      // try the next flags
    }
  }
  return undefined;
}

function typeOne(c: Condition, columns: ReadonlyMap<string, string>): Parsed<TypedCondition> {
  const type = columns.get(c.column);
  if (type === undefined) return { ok: false, message: `column ${JSON.stringify(c.column)} does not exist` };
  const codec = codecFor(type);
  const fail = (message: string): Parsed<never> => ({ ok: false, message: `${message} (column ${c.column})` });
  const ok = (test: Test): Parsed<TypedCondition> => ({ ok: true, value: { column: c.column, op: c.op, negate: c.negate, type, read: codec.read, test } });
  const key = (text: string): Key | Parsed<never> => codec.parse(text) ?? fail(`invalid input for type ${type}: ${JSON.stringify(text)}`);
  if (c.op === 'in') {
    const values = new Set<Key>();
    for (const text of typeof c.value === 'string' ? [c.value] : c.value) {
      const k = key(text);
      if (typeof k === 'object') return k;
      values.add(k);
    }
    return ok({ kind: 'in', values });
  }
  if (typeof c.value !== 'string') return fail(`${c.op} takes one value, not a list`);
  const text = c.value;
  switch (c.op) {
    case 'is': {
      const value = text.toLowerCase();
      if (value !== 'null' && value !== 'true' && value !== 'false' && value !== 'unknown') return fail(`is takes null, true, false or unknown, not ${JSON.stringify(text)}`);
      if (value !== 'null' && type !== 'bool') return fail(`argument of IS ${value.toUpperCase()} must be type bool, not type ${type}`);
      return ok({ kind: 'is', value });
    }
    case 'isdistinct': {
      if (text.toLowerCase() === 'null') return ok({ kind: 'distinct', value: null });
      const k = key(text);
      return typeof k === 'object' ? k : ok({ kind: 'distinct', value: k });
    }
    case 'like':
    case 'ilike':
    case 'match':
    case 'imatch': {
      if (!codec.textual) return fail(`operator ${c.op} does not exist for type ${type}`);
      // citext makes every pattern operator case-insensitive.
      const caseless = c.op === 'ilike' || c.op === 'imatch' || type === 'citext';
      if (c.op === 'like' || c.op === 'ilike') {
        const pattern = likePattern(text, caseless);
        return pattern ? ok({ kind: 'like', pattern, caseless }) : fail(`LIKE pattern must not end with escape character: ${JSON.stringify(text)}`);
      }
      const regex = posixRegExp(text, caseless);
      return regex ? ok({ kind: 'regex', regex }) : fail(`invalid regular expression: ${JSON.stringify(text)}`);
    }
    default: {
      if (c.op !== 'eq' && c.op !== 'neq' && !codec.ordered) return fail(`operator ${c.op} does not exist for type ${type}`);
      const k = key(text);
      return typeof k === 'object' ? k : ok({ kind: 'compare', op: c.op, value: k });
    }
  }
}

/** Checks each condition's column, operator and value against `columns` (name → typname); stops at the first error. */
export function typeConditions(conditions: readonly Condition[], columns: ReadonlyMap<string, string>): Parsed<readonly TypedCondition[]> {
  const typed: TypedCondition[] = [];
  for (const condition of conditions) {
    const result = typeOne(condition, columns);
    if (!result.ok) return result;
    typed.push(result.value);
  }
  return { ok: true, value: typed };
}

function compare(op: CompareOp, order: number): boolean {
  switch (op) {
    case 'eq': return order === 0;
    case 'neq': return order !== 0;
    case 'lt': return order < 0;
    case 'lte': return order <= 0;
    case 'gt': return order > 0;
    case 'gte': return order >= 0;
  }
}

function holds(c: TypedCondition, raw: unknown): boolean {
  const value = raw === null || raw === undefined ? undefined : c.read(raw);
  const t = c.test;
  let result: boolean;
  if (t.kind === 'is') result = t.value === 'true' ? value === 1 : t.value === 'false' ? value === 0 : value === undefined;
  else if (t.kind === 'distinct') result = value === undefined || t.value === null ? (value === undefined) !== (t.value === null) : compareKeys(value, t.value) !== 0;
  else if (value === undefined) return false; // NULL, and NOT NULL is NULL too
  else if (t.kind === 'in') result = t.values.has(value); // SameValueZero: NaN is in a list holding NaN, as in Postgres
  else if (t.kind === 'like') result = typeof value === 'string' && likeMatch(t.pattern, Array.from(t.caseless ? value.toLowerCase() : value));
  else if (t.kind === 'regex') result = typeof value === 'string' && t.regex.test(value);
  else result = compare(t.op, compareKeys(value, t.value));
  return result !== c.negate;
}

/** True when every condition holds for `record` (a missing column is NULL). */
export function matches(conditions: readonly TypedCondition[], record: Readonly<Record<string, unknown>>): boolean {
  for (const c of conditions) if (!holds(c, Object.hasOwn(record, c.column) ? record[c.column] : undefined)) return false;
  return true;
}
