// The `filter` string of a postgres_changes subscription: `col=[not.]op.value`, AND-joined with
// top-level commas (the 2026 server; older clients send a single classic condition). This file
// only parses; filter-eval.ts checks values against column types and evaluates them.

export type FilterOp = 'eq' | 'neq' | 'lt' | 'lte' | 'gt' | 'gte' | 'in' | 'like' | 'ilike' | 'match' | 'imatch' | 'is' | 'isdistinct';

export interface Condition {
  readonly column: string;
  readonly op: FilterOp;
  readonly negate: boolean;
  /** An array only for `in`; `is` values are lower-cased keywords. */
  readonly value: string | readonly string[];
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

const OPS: ReadonlySet<string> = new Set<FilterOp>(['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'like', 'ilike', 'match', 'imatch', 'is', 'isdistinct']);
const IS_VALUES: ReadonlySet<string> = new Set(['null', 'true', 'false', 'unknown']);
/** Realtime caps the array literal an `in` list becomes. */
const MAX_IN_VALUES = 100;

const isOp = (s: string): s is FilterOp => OPS.has(s);

/** Splits at commas outside "…" and (…). Undefined when a quote is left open (the split would be a guess). */
function splitTopLevel(text: string): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '(') depth++;
    // A stray `)` in a classic value (`eq.:)`) must not make later commas unsplittable.
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (quoted) return undefined;
  parts.push(text.slice(start));
  return parts;
}

/** `"a\"b"` → `a"b`; undefined unless the quotes enclose the whole text. */
function unquote(text: string): string | undefined {
  let out = '';
  for (let i = 1; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch === '"') return i === text.length - 1 ? out : undefined;
    if (ch === '\\') i++;
    out += text.charAt(i);
  }
  return undefined;
}

/** A value as written: "quoted" with escapes, or verbatim (spaces included: they matter for text). */
const scalar = (text: string): string | undefined => (text.startsWith('"') ? unquote(text) : text);

/** `(a, "b,c")` like the Postgres array literal the server builds: unquoted elements are trimmed. */
function inList(text: string): string[] | string {
  if (!text.startsWith('(') || !text.endsWith(')') || text.length < 2) return '`in` filter value must be wrapped by parentheses';
  const inner = text.slice(1, -1);
  if (inner.trim() === '') return [];
  const values: string[] = [];
  for (const element of splitTopLevel(inner) ?? [inner]) {
    const trimmed = element.trim();
    const value = trimmed.startsWith('"') ? unquote(trimmed) : trimmed;
    if (value === undefined || trimmed === '') return `malformed \`in\` element ${JSON.stringify(element)}`;
    values.push(value);
  }
  return values.length > MAX_IN_VALUES ? `\`in\` takes at most ${MAX_IN_VALUES} values` : values;
}

/** Realtime shows the split part the way Elixir's inspect prints a list: ["foo", "hey"]. */
const failure = (parts: readonly string[], reason: string): Parsed<never> => ({
  ok: false,
  message: `Error parsing \`filter\` params: [${parts.map((p) => JSON.stringify(p)).join(', ')}] (${reason})`,
});

function condition(part: string): Parsed<Condition> {
  const eq = part.indexOf('=');
  if (eq <= 0) return failure([part], 'expected column=operator.value');
  const column = part.slice(0, eq);
  const rest = part.slice(eq + 1);
  const negate = rest.startsWith('not.');
  const body = negate ? rest.slice(4) : rest;
  const dot = body.indexOf('.');
  const op = dot < 0 ? body : body.slice(0, dot);
  if (!isOp(op)) return failure([column, rest], `unknown operator ${JSON.stringify(op)}`);
  if (dot < 0) return failure([column, rest], 'expected operator.value');
  const raw = body.slice(dot + 1);
  let value: string | readonly string[] | undefined;
  if (op === 'in') {
    const list = inList(raw);
    if (typeof list === 'string') return failure([column, rest], list);
    value = list;
  } else if (op === 'is') {
    value = raw.toLowerCase();
    if (!IS_VALUES.has(value)) return failure([column, rest], '`is` takes null, true, false or unknown');
  } else {
    value = scalar(raw);
    if (value === undefined) return failure([column, rest], 'malformed quoted value');
  }
  return { ok: true, value: { column, op, negate, value } };
}

/** Empty, whitespace-only or absent text means no conditions (every row matches). */
export function parseFilter(text: string | undefined): Parsed<readonly Condition[]> {
  if (text === undefined || text.trim() === '') return { ok: true, value: [] };
  const parts = splitTopLevel(text);
  if (parts === undefined) return failure([text], 'unclosed quote');
  const conditions: Condition[] = [];
  for (const part of parts) {
    // Spaces after a separating comma are allowed; trailing ones belong to the value.
    const parsed = condition(part.trimStart());
    if (!parsed.ok) return parsed;
    conditions.push(parsed.value);
  }
  return { ok: true, value: conditions };
}
