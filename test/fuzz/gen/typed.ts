// Well-typed values and operators per column type, for requests meant to get past the
// parser and the planner into the database (where type errors would stop them early).
import type { Rng } from '../prng.ts';
import { FUZZ_USER, type ColumnType } from './schema.ts';

/** A value of the type, as text (URL filters, CSV). */
export function typedText(r: Rng, type: ColumnType): string {
  switch (type) {
    case 'int':
    case 'bigint':
      return String(r.int(-1, 210));
    case 'numeric':
      return `${r.int(0, 800)}.${r.int(0, 99)}`;
    case 'text':
      return r.pick(['Book 7', 'Author 3', 'Reader 2', 'all', 't1', 'Shelf 4', 'visits', 'first', 'Writes about 5', 'Book 14 (Édition spéciale)']);
    case 'date':
      return `${r.int(1900, 2030)}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`;
    case 'timestamptz':
      return `${r.int(1999, 2020)}-0${r.int(1, 9)}-1${r.int(0, 9)}T0${r.int(0, 9)}:00:00${r.pick(['Z', '+02:00', ''])}`;
    case 'text[]':
      return r.pick(['{all,t1}', '{t2}', '{}', '{1,2}']);
    case 'jsonb':
    case 'json':
      return r.pick(['{"lang":"en"}', '{"score":3}', '{"nested":{"deep":4}}', '{}', '[]']);
    case 'int4range':
      return r.pick(['[1,50)', '(100,150]', '[5,5]', 'empty', '[180,)']);
    case 'tsvector':
      return r.pick(['sea', 'story', 'number', 'sea & story', 'missing']);
    case 'mood':
      return r.pick(['happy', 'sad', 'meh']);
    case 'bytea':
      return r.pick(['\\x00ff', '\\xdeadbeef', '\\x']);
    case 'uuid':
      return r.pick([FUZZ_USER.id, '00000000-0000-4000-8000-000000000000']);
    case 'boolean':
      return r.pick(['true', 'false']);
  }
}

/** The value as JSON (bodies, RPC arguments). */
export function typedJson(r: Rng, type: ColumnType): unknown {
  const text = typedText(r, type);
  switch (type) {
    case 'int':
    case 'bigint':
    case 'numeric':
      return Number(text);
    case 'boolean':
      return text === 'true';
    case 'jsonb':
    case 'json':
      return JSON.parse(text) as unknown;
    case 'text[]':
      return r.pick([['all', 't1'], [], ['x']]);
    default:
      return text;
  }
}

const ORDERED = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'isdistinct'];

/** An operator that applies to the type. */
export function typedOperator(r: Rng, type: ColumnType): string {
  switch (type) {
    case 'text':
      return r.pick(['eq', 'neq', 'like', 'ilike', 'match', 'imatch', 'in', 'fts', 'gt']);
    case 'text[]':
      return r.pick(['cs', 'cd', 'ov', 'eq']);
    case 'jsonb':
      return r.pick(['cs', 'cd', 'eq']);
    case 'json':
      return 'is';
    case 'int4range':
      return r.pick(['sl', 'sr', 'nxr', 'nxl', 'adj', 'ov', 'cs', 'cd', 'eq']);
    case 'tsvector':
      return r.pick(['fts', 'plfts', 'phfts', 'wfts']);
    case 'mood':
    case 'uuid':
    case 'bytea':
      return r.pick(['eq', 'neq', 'in']);
    case 'boolean':
      return r.pick(['eq', 'is', 'isdistinct']);
    default:
      return r.pick(ORDERED);
  }
}

/** `op.value` for a column of the type, sometimes negated, quantified or with a language. */
export function typedCondition(r: Rng, type: ColumnType): string {
  const op = typedOperator(r, type);
  const not = r.chance(0.15) ? 'not.' : '';
  if (op === 'is') return `${not}is.${r.pick(['null', 'not_null', 'true', 'false', 'unknown'])}`;
  if (op === 'in') return `${not}in.(${r.many(r.int(1, 4), () => `"${typedText(r, type)}"`).join(',')})`;
  if (['fts', 'plfts', 'phfts', 'wfts'].includes(op) && r.chance(0.4)) return `${not}${op}(${r.pick(['english', 'simple'])}).${typedText(r, 'tsvector')}`;
  if (['eq', 'gt', 'lt', 'like', 'ilike'].includes(op) && r.chance(0.15)) return `${not}${op}(${r.pick(['any', 'all'])}).{${r.many(r.int(1, 3), () => typedText(r, type)).join(',')}}`;
  if (op === 'like' || op === 'ilike') return `${not}${op}.${r.pick(['*Book*', 'Auth*', '*1', '*'])}`;
  if (op === 'match' || op === 'imatch') return `${not}${op}.${r.pick(['^Book', '[0-9]+$', 'é'])}`;
  if (['fts', 'plfts', 'phfts', 'wfts'].includes(op)) return `${not}${op}.${typedText(r, 'tsvector')}`;
  return `${not}${op}.${typedText(r, type)}`;
}
