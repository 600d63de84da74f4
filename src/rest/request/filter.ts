// Horizontal filtering: `col=[not.]op[(any|all)|(lang)].value`, `in.(a,"b,c")`,
// `is.null`, and logic trees `or=(a.eq.1,not.and(b.gt.2,c.is.null))`.
import { Cursor, ParseFailure } from './cursor.ts';
import { REST_LIMITS } from './limits.ts';
import { fieldRef } from './select.ts';
import type { Filter, FieldRef, IsValue, LogicTree, OpExpr, Operator } from './types.ts';

const QUANTIFIABLE = new Set<Operator>(['eq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'match', 'imatch']);
const FTS = new Set<Operator>(['fts', 'plfts', 'phfts', 'wfts']);
const SIMPLE = new Set<Operator>(['neq', 'isdistinct', 'cs', 'cd', 'ov', 'sl', 'sr', 'nxr', 'nxl', 'adj']);
const IS_VALUES: readonly IsValue[] = ['null', 'not_null', 'true', 'false', 'unknown'];
const EXPECT_OP = '"not" or operator (eq, gt, gte, lt, lte, neq, like, ilike, match, imatch, in, is, isdistinct, fts, plfts, phfts, wfts, cs, cd, ov, sl, sr, nxr, nxl, adj)';

/** `(a, "b,c")`: quoted elements only when followed by , or ); others are taken verbatim. */
function list(c: Cursor): string[] {
  c.skipSpaces();
  c.expect('(');
  const values: string[] = [];
  if (c.eat(')')) return values;
  for (;;) {
    const start = c.pos;
    let value: string | undefined;
    if (c.peek() === '"') {
      const quoted = c.quoted();
      if (c.peek() === ',' || c.peek() === ')') value = quoted;
      else c.pos = start;
    }
    if (value === undefined) {
      while (!c.done && c.peek() !== ',' && c.peek() !== ')') c.pos++;
      value = c.text.slice(start, c.pos);
    }
    values.push(value);
    if (c.eat(',')) continue;
    c.expect(')', '"," or ")"');
    c.skipSpaces();
    return values;
  }
}

/** A value inside a logic tree: ends at , or ) unless "quoted" or a {…} array literal. */
function treeValue(c: Cursor): string {
  const start = c.pos;
  if (c.peek() === '"') {
    const quoted = c.quoted();
    if (c.peek() === ',' || c.peek() === ')') return quoted;
    c.pos = start;
  }
  if (c.peek() === '{') {
    const close = c.text.indexOf('}', c.pos);
    if (close >= 0) {
      c.pos = close + 1;
      return c.text.slice(start, c.pos);
    }
  }
  while (!c.done && c.peek() !== ',' && c.peek() !== ')') c.pos++;
  return c.text.slice(start, c.pos);
}

function opExpr(c: Cursor, inTree: boolean): OpExpr {
  const negated = c.eat('not.');
  const m = /^[a-z_]+/.exec(c.text.slice(c.pos));
  const op = m?.[0] as Operator | undefined;
  if (op === undefined || !(QUANTIFIABLE.has(op) || FTS.has(op) || SIMPLE.has(op) || op === 'in' || op === 'is')) c.fail(EXPECT_OP);
  c.pos += op.length;
  const rest = (): string => (inTree ? treeValue(c) : c.text.slice(c.pos, (c.pos = c.text.length)));
  if (op === 'in') {
    c.expect('.');
    return { negated, op, values: list(c) };
  }
  if (op === 'is') {
    c.expect('.');
    const word = /^[A-Za-z_]+/.exec(c.text.slice(c.pos))?.[0] ?? '';
    const value = word.toLowerCase() as IsValue;
    if (!IS_VALUES.includes(value)) c.fail('null, not_null, true, false or unknown');
    c.pos += word.length;
    return { negated, op, value };
  }
  if (FTS.has(op)) {
    let language: string | undefined;
    if (c.eat('(')) {
      language = c.ident();
      c.expect(')');
    }
    c.expect('.');
    return { negated, op: op as 'fts', language, value: rest() };
  }
  let quantifier: 'any' | 'all' | undefined;
  if (QUANTIFIABLE.has(op)) {
    if (c.eat('(any)')) quantifier = 'any';
    else if (c.eat('(all)')) quantifier = 'all';
  }
  c.expect('.');
  return { negated, op: op as 'eq', quantifier, value: rest() };
}

/** The value of a filter parameter whose key named `field`. */
export function parseFilterValue(field: FieldRef, value: string): Filter {
  const c = new Cursor(value, 'filter');
  const expr = opExpr(c, false);
  if (!c.done) c.fail('end of input');
  return { kind: 'filter', field, expr };
}

function tree(c: Cursor, depth: number): Filter | LogicTree {
  const logic = /^(not\.)?(and|or)\(/.exec(c.text.slice(c.pos));
  if (logic !== null) {
    c.pos += logic[0].length - 1;
    return { kind: 'logic', op: logic[2] as 'and' | 'or', negated: logic[1] !== undefined, children: children(c, depth + 1) };
  }
  const field = fieldRef(c);
  c.expect('.', '"." and an operator');
  return { kind: 'filter', field, expr: opExpr(c, true) };
}

/** The children of a tree `depth` levels deep (the parameter's own tree is level 1). */
function children(c: Cursor, depth: number): Array<Filter | LogicTree> {
  c.expect('(');
  if (depth > REST_LIMITS.logicDepth) c.limit(`Logic trees can nest at most ${REST_LIMITS.logicDepth} levels`);
  const out: Array<Filter | LogicTree> = [];
  for (;;) {
    c.skipSpaces();
    out.push(tree(c, depth));
    c.skipSpaces();
    if (c.eat(',')) continue;
    c.expect(')', '"," or ")"');
    return out;
  }
}

/** The value of an `or`/`and` parameter: `(tree, tree…)`. */
export function parseLogicTree(op: 'and' | 'or', negated: boolean, value: string): LogicTree {
  const c = new Cursor(value, 'logic tree');
  c.skipSpaces();
  const result: LogicTree = { kind: 'logic', op, negated, children: children(c, 1) };
  c.skipSpaces();
  if (!c.done) c.fail('end of input');
  return result;
}

export { ParseFailure };
