// `select=` grammar (PostgREST v13): fields with aliases, casts, JSON paths and aggregates,
// `*`, `count()`, embedded resources with !hint / !inner / !left, and `...spreads`.
import { Cursor } from './cursor.ts';
import { REST_LIMITS } from './limits.ts';
import type { AggregateFn, FieldRef, JsonStep, SelectItem } from './types.ts';

const AGGREGATES: readonly AggregateFn[] = ['sum', 'avg', 'count', 'max', 'min'];
// NUL stops a key too: the parse then fails where it stands (no JSON key can be one).
const KEY_STOP = new Set(['(', ')', '-', ':', '.', ',', '>', '', '\u0000']);

/** A JSON path after a column: (->|->>) (index | "quoted" | key)… */
export function jsonPath(c: Cursor): JsonStep[] {
  const steps: JsonStep[] = [];
  while (c.startsWith('->')) {
    if (steps.length === REST_LIMITS.jsonPathSteps) c.limit(`A JSON path can have at most ${REST_LIMITS.jsonPathSteps} steps`);
    const arrow = c.eat('->>') ? '->>' : (c.eat('->'), '->');
    const index = /^-?\d+/.exec(c.text.slice(c.pos));
    const after = index === null ? '' : c.text.slice(c.pos + index[0].length);
    if (index !== null && (after === '' || /^(->|::|\.|,|\))/.test(after))) {
      c.pos += index[0].length;
      steps.push({ arrow, key: Number(index[0]) });
      continue;
    }
    if (c.peek() === '"') {
      steps.push({ arrow, key: c.quoted(true) });
      continue;
    }
    const start = c.pos;
    for (;;) {
      while (!KEY_STOP.has(c.peek())) c.pos++;
      if (c.peek() === '-' && c.peek(1) !== '>' && !KEY_STOP.has(c.peek(1))) {
        c.pos++;
        continue;
      }
      break;
    }
    if (c.pos === start) c.fail('a JSON key or index');
    steps.push({ arrow, key: c.text.slice(start, c.pos) });
  }
  return steps;
}

export function fieldRef(c: Cursor): FieldRef {
  const name = c.name();
  return { name, jsonPath: jsonPath(c) };
}

function cast(c: Cursor): string | undefined {
  if (!c.eat('::')) return undefined;
  const m = /^[\p{L}\p{N}_$ ]+/u.exec(c.text.slice(c.pos));
  if (m === null) c.fail('a type name');
  c.pos += m[0].length;
  return m[0].trim();
}

/** `name` followed by ":" (but not "::") is an alias; otherwise the cursor is left as it was. */
function alias(c: Cursor): string | undefined {
  const start = c.pos;
  if (c.startsWith('...') || c.peek() === '*') return undefined;
  if (!(c.peek() === '"' || /[\p{L}\p{N}_$ ]/u.test(c.peek()))) return undefined;
  try {
    const name = c.name();
    if (c.peek() === ':' && c.peek(1) !== ':') {
      c.pos++;
      return name;
    }
  } catch {
    // not a name: no alias
  }
  c.pos = start;
  return undefined;
}

function embedParams(c: Cursor): { hint: string | undefined; join: 'inner' | 'left' | undefined } {
  let hint: string | undefined;
  let join: 'inner' | 'left' | undefined;
  for (let i = 0; i < 2 && c.eat('!'); i++) {
    const p = c.name();
    if (p === 'inner' || p === 'left') join = p;
    else hint = p;
  }
  return { hint, join };
}

/** The items of one level; `depth` counts the embeds around it (0 at the top). */
function items(c: Cursor, depth: number): SelectItem[] {
  const out: SelectItem[] = [];
  c.skipSpaces();
  if (depth > 0 && c.peek() === ')') return out;
  for (;;) {
    c.skipSpaces();
    out.push(item(c, depth));
    c.skipSpaces();
    if (!c.eat(',')) break;
  }
  return out;
}

function embedBody(c: Cursor, depth: number): SelectItem[] {
  c.expect('(');
  if (depth > REST_LIMITS.embedDepth) c.limit(`Embedded resources can nest at most ${REST_LIMITS.embedDepth} levels`);
  const select = items(c, depth);
  c.skipSpaces();
  c.expect(')', '"," or ")"');
  return select;
}

function item(c: Cursor, depth: number): SelectItem {
  if (c.eat('...')) {
    const name = c.name();
    const { hint, join } = embedParams(c);
    return { kind: 'embed', name, alias: undefined, hint, join, spread: true, select: embedBody(c, depth + 1) };
  }
  if (c.eat('*')) return { kind: 'star' };
  const as = alias(c);
  if (c.eat('count()')) return { kind: 'count', alias: as, cast: cast(c) };
  const name = c.name();
  if (c.peek() === '!' || c.peek() === '(') {
    const { hint, join } = embedParams(c);
    return { kind: 'embed', name, alias: as, hint, join, spread: false, select: embedBody(c, depth + 1) };
  }
  const field: FieldRef = { name, jsonPath: jsonPath(c) };
  const fieldCast = cast(c);
  let aggregate: { fn: AggregateFn; cast: string | undefined } | undefined;
  const agg = /^\.(sum|avg|count|max|min)\(\)/.exec(c.text.slice(c.pos));
  if (agg !== null) {
    c.pos += agg[0].length;
    aggregate = { fn: agg[1] as AggregateFn, cast: cast(c) };
  } else if (c.peek() === '.') {
    c.fail(`an aggregate (${AGGREGATES.map((a) => `${a}()`).join(', ')})`);
  }
  return { kind: 'field', field, alias: as, cast: fieldCast, aggregate };
}

export function parseSelect(text: string): SelectItem[] {
  if (text.trim() === '') return [{ kind: 'star' }];
  const c = new Cursor(text, 'select parameter');
  const out = items(c, 0);
  if (!c.done) c.fail('",", "->", "->>", "::", "." or end of input');
  return out;
}
