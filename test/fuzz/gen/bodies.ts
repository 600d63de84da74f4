// Request bodies: JSON (valid, truncated, thousands deep, huge strings, NUL, lone surrogates,
// wrong types), CSV, forms and raw bytes, with a content type that may or may not match.
import type { Rng } from '../prng.ts';
import type { TableInfo } from './schema.ts';
import { brokenJson, deepJson, jsonValue, oddString } from './values.ts';

export interface Body {
  readonly contentType: string | undefined;
  readonly bytes: Buffer;
}

/** The fuzz server's body limit (fuzz/target.ts sets it); some bodies go just past it. */
export const BODY_LIMIT = 1024 * 1024;

function row(r: Rng, t: TableInfo | undefined): Record<string, unknown> {
  const cols = t?.columns ?? ['a', 'b'];
  return Object.fromEntries(r.many(r.int(1, 5), () => [r.chance(0.9) ? r.pick(cols) : oddString(r).slice(0, 40), jsonValue(r, 2)]));
}

/** JSON text for table `t` (rows) or a function (arguments, given as `t` undefined). */
export function jsonText(r: Rng, t: TableInfo | undefined, args: readonly string[] = []): string {
  const keys = t?.columns ?? (args.length > 0 ? args : ['a']);
  const argsObject = () => Object.fromEntries(args.filter(() => r.chance(0.8)).map((a) => [a, jsonValue(r, 2)]));
  return r.weighted<() => string>([
    [5, () => JSON.stringify(t === undefined ? argsObject() : row(r, t))],
    [3, () => JSON.stringify(r.many(r.size(20), () => row(r, t)))],
    [2, () => JSON.stringify(jsonValue(r, 4))],
    [2, () => brokenJson(r, JSON.stringify(row(r, t)))],
    [2, () => deepJson(r, r.pick([100, 1000, 5000, 20000, 100000]))],
    [1, () => `{"${r.pick(keys)}":${deepJson(r, r.pick([1000, 10000, 50000]))}}`],
    [1, () => JSON.stringify({ [r.pick(keys)]: 'x'.repeat(r.pick([70000, 300000, BODY_LIMIT - 100, BODY_LIMIT + 10])) })],
    [1, () => JSON.stringify(r.many(r.pick([1000, 5000]), () => ({ id: r.int(1, 300) })))],
    [1, () => JSON.stringify(Object.fromEntries(r.many(r.pick([500, 2000]), (i) => [`k${i}`, i])))],
  ])();
}

function csv(r: Rng, t: TableInfo | undefined): string {
  const cols = r.many(r.int(1, 4), () => (r.chance(0.85) ? r.pick(t?.columns ?? ['a']) : oddString(r).slice(0, 20)));
  const cell = () => r.pick(['1', '', 'NULL', '"quoted, with comma"', '"unterminated', 'a"b', oddString(r).slice(0, 60), '\u0000', 'x'.repeat(r.size(3000))]);
  const rows = r.many(r.size(20), () => r.many(r.chance(0.9) ? cols.length : r.int(0, 6), cell).join(','));
  return [cols.join(','), ...rows].join(r.pick(['\n', '\r\n', '\r']));
}

function form(r: Rng, t: TableInfo | undefined): string {
  return r
    .many(r.int(0, 5), () => `${r.chance(0.8) ? r.pick(t?.columns ?? ['a']) : '%ff'}=${r.pick(['1', 'x', '%00', '%ff', '%', '+', 'a%2Cb', 'é', ''])}`)
    .join(r.pick(['&', '&&', ';']));
}

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/vnd.pgrst.object+json', 'application/json;charset=latin1', 'APPLICATION/JSON'];
const OTHER_TYPES = ['text/plain', 'application/octet-stream', 'multipart/form-data; boundary=x', 'application/xml', '', 'a/b/c', ';;;', 'application/json; charset', 'text/csv; charset=utf-16', '*/*'];

export function body(r: Rng, t: TableInfo | undefined, args: readonly string[] = []): Body {
  const kind = r.weighted<'json' | 'csv' | 'form' | 'bytes' | 'none'>([
    [12, 'json'],
    [2, 'csv'],
    [2, 'form'],
    [1, 'bytes'],
    [1, 'none'],
  ]);
  const text = kind === 'json' ? jsonText(r, t, args) : kind === 'csv' ? csv(r, t) : kind === 'form' ? form(r, t) : '';
  let bytes = kind === 'bytes' ? Buffer.from(r.many(r.size(4000), () => r.int(0, 255))) : Buffer.from(text, 'utf8');
  // Byte-level corruption: invalid UTF-8, a NUL, a cut in the middle of a character.
  if (r.chance(0.05) && bytes.length > 0) {
    const at = r.int(0, bytes.length - 1);
    bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(r.pick([[0xff], [0x00], [0xc3], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]])), bytes.subarray(at)]);
  }
  const natural = kind === 'json' ? r.pick(JSON_TYPES) : kind === 'csv' ? 'text/csv' : kind === 'form' ? 'application/x-www-form-urlencoded' : undefined;
  const contentType = r.weighted<string | undefined>([
    [10, natural],
    [2, r.pick(JSON_TYPES)],
    [2, r.pick(OTHER_TYPES)],
    [1, undefined],
  ]);
  return { contentType, bytes };
}
