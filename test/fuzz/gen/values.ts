// Values hostile to parsers and databases: odd strings, numbers and JSON, and the helpers
// that put them into URLs. Everything is drawn from the seeded Rng.
import type { Rng } from '../prng.ts';

const ODD_STRINGS: readonly string[] = [
  '', ' ', 'null', 'NULL', 'true', 'false', 'unknown', '0', '-0', '-1', '1.5', '1e309', '-1e309', 'NaN', 'Infinity', '9223372036854775808',
  '99999999999999999999999999999999999999', "'", '"', '\\', '%', '_', '*', '(', ')', ',', '.', ':', '::', '->', '->>', '{}', '[]', '{"a":1}',
  '\u0000', 'a\u0000b', '\ud800', '\udfff', 'x\ud83dy', '😀', '\u202e', 'e\u0301', '\uffff', '\ufeff', 'Ω≈ç√', '\t', '\r\n', '\n',
  "1; drop table books; --", "' or 1=1 --", '$$', '$1', "E'\\x00'", '\\x00', '%00', 'true)', 'a,b', 'a.b', '(a)', 'not.eq.1',
  'or(id.eq.1)', 'select', 'pg_sleep(10)', '2024-13-45', '2024-01-01T00:00:00Z', 'infinity', '-infinity', 'epoch', 'allballs',
  '[1,2)', '(,)', 'empty', '{1,2,3}', '{{1},{2}}', '{"a", "b"}', 'f0220000-0000-4000-8000-000000000001', '00000000-0000-0000-0000-000000000000',
  'happy', 'sad', 'english', 'simple', 'zz_lang', 'a & b', 'a | !b', "'quoted' phrase", '<script>', '${x}', '../..', '/etc/passwd',
];

/** A hostile or plain string; sometimes long or repeated. */
export function oddString(r: Rng): string {
  return r.weighted<() => string>([
    [6, () => r.pick(ODD_STRINGS)],
    [2, () => r.pick(ODD_STRINGS) + r.pick(ODD_STRINGS)],
    [2, () => 'x'.repeat(r.size(5000))],
    [1, () => r.pick(ODD_STRINGS).repeat(r.size(2000))],
    [1, () => String.fromCharCode(...r.many(r.int(1, 12), () => r.int(0, 0xffff)))],
    [1, () => 'é'.repeat(r.size(70000))],
  ])();
}

/** A number as text, from plain to absurd. */
export function oddNumber(r: Rng): string {
  return r.pick(['0', '1', '-1', '2', '10', '100', '2147483647', '2147483648', '-2147483649', '9223372036854775807', '9223372036854775808', '1e400', '0.5', '-0', '1e-400', 'NaN', '0x10', '1_000', ' 1', '+1', '00', '1.', '.1']);
}

/** A scalar value for a filter or an argument: usually a sane value, sometimes odd. */
export function filterValue(r: Rng): string {
  return r.weighted<() => string>([
    [4, () => String(r.int(-2, 250))],
    [2, () => r.pick(['Book 1', 'Author 3', 'en', 'fr', 'happy', 'sea', 'all', 't1', '2001-01-01', 'true', 'false', 'null'])],
    [2, () => oddNumber(r)],
    [3, () => oddString(r)],
  ])();
}

/** Percent-encoding of a string as UTF-8; lone surrogates become their CESU-8 bytes (invalid UTF-8 on purpose). */
export function pct(s: string, keep = /[A-Za-z0-9\-_.~]/): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    const code = s.charCodeAt(i);
    if (keep.test(c)) out += c;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      out += hexBytes(Buffer.from(s.slice(i, i + 2), 'utf8'));
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      out += `%${(0xe0 | (code >> 12)).toString(16).toUpperCase()}%${(0x80 | ((code >> 6) & 0x3f)).toString(16).toUpperCase()}%${(0x80 | (code & 0x3f)).toString(16).toUpperCase()}`;
    } else out += hexBytes(Buffer.from(c, 'utf8'));
  }
  return out;
}

function hexBytes(b: Buffer): string {
  return [...b].map((x) => `%${x.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

/** How a value goes into a URL: encoded, partly raw (grammar characters kept), or with broken escapes. */
export function urlValue(r: Rng, s: string): string {
  return r.weighted<() => string>([
    [5, () => pct(s)],
    [3, () => pct(s, /[A-Za-z0-9\-_.~(),:*!'"{}[\]]/)],
    [1, () => pct(s) + r.pick(BROKEN_ESCAPES)],
    [1, () => r.pick(BROKEN_ESCAPES) + pct(s)],
  ])();
}

/** Percent sequences that decode to NUL, invalid UTF-8 or nothing at all. */
export const BROKEN_ESCAPES = ['%00', '%ff', '%FE%FF', '%C0%80', '%ED%A0%80', '%', '%z', '%%', '%E2%82', '%F4%90%80%80', '%0A', '%0D%0A', '%2', '%u0041', '%25'];

/** A JSON value of any kind, with hostile strings and numbers; `depth` bounds nesting. */
export function jsonValue(r: Rng, depth = 3): unknown {
  const kind = depth <= 0 ? r.int(0, 3) : r.int(0, 5);
  switch (kind) {
    case 0:
      return r.pick([null, true, false]);
    case 1:
      return r.pick([0, -1, 1.5, 2147483648, 1e308, -1e-308, Number.MAX_SAFE_INTEGER + 2, r.int(-5, 300)]);
    case 2:
    case 3:
      return oddString(r);
    case 4:
      return r.many(r.size(6), () => jsonValue(r, depth - 1));
    default:
      return Object.fromEntries(r.many(r.size(6), () => [r.chance(0.7) ? r.pick(['id', 'title', 'name', 'a', 'b', 'email', 'data', '']) : oddString(r), jsonValue(r, depth - 1)]));
  }
}

/** JSON text nested `n` levels deep (arrays, objects or both), thousands deep when asked. */
export function deepJson(r: Rng, n: number): string {
  const shape = r.int(0, 2);
  if (shape === 0) return '['.repeat(n) + ']'.repeat(n);
  if (shape === 1) return '{"a":'.repeat(n) + '1' + '}'.repeat(n);
  let open = '';
  let close = '';
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) {
      open += '{"k":';
      close = '}' + close;
    } else {
      open += '[';
      close = ']' + close;
    }
  }
  return open + 'null' + close;
}

/** JSON text made invalid in one of the ways clients get it wrong. */
export function brokenJson(r: Rng, text: string): string {
  const at = r.int(0, text.length);
  return r.weighted<() => string>([
    [3, () => text.slice(0, at)],
    [1, () => text + r.pick([',', '}', ']', 'x', '\u0000', ' garbage'])],
    [1, () => text.slice(0, at) + r.pick(['\u0000', '\\', '"', '\\u00', '\\ud800', "'", '\n', 'NaN', 'undefined']) + text.slice(at)],
    [1, () => text.replaceAll('"', "'")],
    [1, () => r.pick(['', ' ', 'null', '[', '{', '{"a":}', '[1,]', '{,}', '"unterminated', '1e999999', '{"a":1,"a":2}', '\ufeff{}', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}'])],
  ])();
}
