// How a column type turns a filter value (text) and a row value (as to_jsonb renders it) into one
// comparable key, so that evaluating a condition per row is a number or string comparison.

/** Numbers (numeric types, bool 0/1, epoch µs, days, µs of day) or strings (text, uuid hex, canonical JSON…). */
export type Key = number | string;

export interface Codec {
  /** Filter text → key; undefined when Postgres would refuse the cast. */
  readonly parse: (text: string) => Key | undefined;
  /** Row value → key; undefined for NULL or a value of the wrong shape (treated as NULL). */
  readonly read: (value: unknown) => Key | undefined;
  /** lt/lte/gt/gte exist for the type. */
  readonly ordered: boolean;
  /** like/ilike/match/imatch exist for the type (Postgres has them for text types only). */
  readonly textual: boolean;
}

const INT_RANGE = new Map<string, readonly [bigint, bigint]>([
  ['int2', [-32768n, 32767n]],
  ['int4', [-2147483648n, 2147483647n]],
  ['int8', [-9223372036854775808n, 9223372036854775807n]],
  ['oid', [0n, 4294967295n]],
]);
const INT_RE = /^\s*[+-]?\d+\s*$/;
const FLOAT_RE = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?\s*$/i;
const SPECIAL_NUMBERS = new Map([['nan', NaN], ['infinity', Infinity], ['+infinity', Infinity], ['-infinity', -Infinity], ['inf', Infinity], ['+inf', Infinity], ['-inf', -Infinity]]);
const BOOL_WORDS = new Map([['t', 1], ['true', 1], ['y', 1], ['yes', 1], ['on', 1], ['1', 1], ['f', 0], ['false', 0], ['n', 0], ['no', 0], ['off', 0], ['0', 0]]);
const INFINITE_TIMES = new Map([['infinity', Infinity], ['+infinity', Infinity], ['-infinity', -Infinity]]);
const TEXT_TYPES = new Set(['text', 'varchar', 'bpchar', 'citext', 'name']);

const float = (text: string): number | undefined =>
  FLOAT_RE.test(text) ? Number(text.trim()) : SPECIAL_NUMBERS.get(text.trim().toLowerCase());

function integer(range: readonly [bigint, bigint]): (text: string) => number | undefined {
  return (text) => {
    if (!INT_RE.test(text)) return undefined;
    const n = BigInt(text.trim());
    return n < range[0] || n > range[1] ? undefined : Number(n);
  };
}

function numberCodec(parse: (text: string) => number | undefined): Codec {
  // to_jsonb renders NaN and ±Infinity as strings.
  return { parse, read: (v) => (typeof v === 'number' ? v : typeof v === 'string' ? float(v) : undefined), ordered: true, textual: false };
}

function textCodec(fold: (s: string) => string, textual: boolean): Codec {
  return { parse: fold, read: (v) => (typeof v === 'string' ? fold(v) : undefined), ordered: true, textual };
}

/** Parses the text form for filters and rows alike, so both sides normalise the same way. */
function stringCodec(parse: (text: string) => Key | undefined): Codec {
  return { parse, read: (v) => (typeof v === 'string' ? parse(v) : undefined), ordered: true, textual: false };
}

const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?`;
// Input is trimmed first; at most one space before a zone keeps the match linear (no two
// adjacent unbounded runs of blanks).
const ZONE = String.raw` ?(z|utc|gmt|[+-]\d{1,2}(?::?\d{2}){0,2})?`;
const STAMP_RE = new RegExp(String.raw`^(\d{4,})-(\d{1,2})-(\d{1,2})(?:(?:t| +)${TIME})?${ZONE}( +bc)?$`, 'i');
const CLOCK_RE = new RegExp(String.raw`^${TIME}${ZONE}$`, 'i');
const OFFSET_RE = /^([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/;

interface Clock {
  readonly micros: number;
  /** Seconds east of UTC; undefined when the text has none. */
  readonly offset: number | undefined;
}
interface Stamp extends Clock {
  readonly days: number;
}

function clock(h = '0', m = '0', s = '0', frac = ''): number | undefined {
  const [H, M, S] = [Number(h), Number(m), Number(s)];
  if (H > 24 || M > 59 || S > 60 || (H === 24 && M + S + Number(`0${frac}`) > 0)) return undefined;
  return ((H * 60 + M) * 60 + S) * 1e6 + (frac === '' ? 0 : Math.round(Number(`0.${frac}`) * 1e6));
}

/** null for an invalid zone, undefined for none. */
function offset(zone: string | undefined): number | undefined | null {
  if (zone === undefined) return undefined;
  if (!/^[+-]/.test(zone)) return 0; // Z, UTC, GMT
  const m = OFFSET_RE.exec(zone);
  if (m === null) return null;
  const [h, mi, s] = [Number(m[2]), Number(m[3] ?? 0), Number(m[4] ?? 0)];
  if (h > 15 || mi > 59 || s > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (h * 3600 + mi * 60 + s);
}

function parseClock(text: string): Clock | undefined {
  const m = CLOCK_RE.exec(text.trim());
  if (m === null) return undefined;
  const micros = clock(m[1], m[2], m[3], m[4]);
  const off = offset(m[5]);
  return micros === undefined || off === null ? undefined : { micros, offset: off };
}

function parseStamp(text: string): Stamp | undefined {
  const m = STAMP_RE.exec(text.trim());
  if (m === null) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const y = m[9] === undefined ? year : 1 - year; // 1 BC is year 0 in JavaScript
  const date = new Date(0);
  date.setUTCFullYear(y, month - 1, day); // Date.UTC would read years 0–99 as 1900–1999
  if (year === 0 || date.getUTCFullYear() !== y || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  const micros = clock(m[4], m[5], m[6], m[7]);
  const off = offset(m[8]);
  return micros === undefined || off === null ? undefined : { days: date.getTime() / 864e5, micros, offset: off };
}

function stampCodec(key: (s: Stamp) => Key): Codec {
  return stringCodec((text) => {
    const infinite = INFINITE_TIMES.get(text.trim().toLowerCase());
    if (infinite !== undefined) return infinite;
    const stamp = parseStamp(text);
    return stamp === undefined ? undefined : key(stamp);
  });
}

/** JSON with object keys sorted: jsonb equality ignores key order (and JSON.parse keeps the last duplicate, like jsonb). */
function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v === null || typeof v !== 'object') return v;
    const object = v as Readonly<Record<string, unknown>>;
    return Object.fromEntries(Object.keys(object).sort().map((k) => [k, sort(object[k])]));
  };
  return JSON.stringify(sort(value));
}

const jsonCodec: Codec = {
  parse: (text) => {
    try {
      return canonicalJson(JSON.parse(text));
    } catch {
      return undefined;
    }
  },
  read: (v) => (v === undefined || v === null ? undefined : canonicalJson(v)),
  ordered: false,
  textual: false,
};

type Literal = string | null | readonly Literal[];

/** A Postgres array literal `{1,"a,b",NULL,{2,3}}`; undefined when malformed. */
function arrayLiteral(text: string): Literal[] | undefined {
  let i = 0;
  const space = (): void => {
    while (/\s/.test(text.charAt(i))) i++;
  };
  const list = (): Literal[] | undefined => {
    if (text.charAt(i) !== '{') return undefined;
    i++;
    space();
    const out: Literal[] = [];
    if (text.charAt(i) === '}') {
      i++;
      return out;
    }
    for (;;) {
      space();
      let item: Literal | undefined;
      if (text.charAt(i) === '{') item = list();
      else if (text.charAt(i) === '"') {
        item = '';
        for (i++; i < text.length && text.charAt(i) !== '"'; i++) item += text.charAt(text.charAt(i) === '\\' ? ++i : i);
        if (text.charAt(i++) !== '"') return undefined;
      } else {
        const start = i;
        while (i < text.length && !',}{"'.includes(text.charAt(i))) i++;
        const raw = text.slice(start, i).trim();
        item = raw === '' ? undefined : raw.toUpperCase() === 'NULL' ? null : raw;
      }
      if (item === undefined) return undefined;
      out.push(item);
      space();
      if (text.charAt(i) === ',') i++;
      else return text.charAt(i++) === '}' ? out : undefined;
    }
  };
  space();
  const result = list();
  space();
  return i === text.length ? result : undefined;
}

/** Arrays compare as canonical JSON of their element keys (so only equality, as for jsonb). */
function arrayCodec(element: Codec, jsonElements: boolean): Codec {
  const parse = (text: string): Key | undefined => {
    let valid = true;
    const walk = (l: Literal): unknown => {
      if (l === null) return null;
      if (typeof l !== 'string') return l.map(walk);
      const key = element.parse(l);
      valid &&= key !== undefined;
      return key;
    };
    const literal = arrayLiteral(text);
    const keys = literal?.map(walk);
    return valid && keys !== undefined ? JSON.stringify(keys) : undefined;
  };
  // Nested arrays are dimensions, except in arrays of json, whose elements may be arrays themselves.
  const walk = (v: unknown): unknown => (v === null ? null : Array.isArray(v) && !jsonElements ? v.map(walk) : (element.read(v) ?? null));
  const read = (v: unknown): Key | undefined => (Array.isArray(v) ? JSON.stringify(v.map(walk)) : undefined);
  return { parse, read, ordered: false, textual: false };
}

/** The codec for a pg_type.typname; names it does not know are enums (text compared by code point). */
export function codecFor(type: string): Codec {
  if (type.startsWith('_')) return arrayCodec(codecFor(type.slice(1)), type === '_json' || type === '_jsonb');
  const range = INT_RANGE.get(type);
  if (range !== undefined) return numberCodec(integer(range));
  switch (type) {
    case 'float4':
    case 'float8':
    case 'numeric':
      return numberCodec(float);
    case 'bool':
      return { ...numberCodec((text) => BOOL_WORDS.get(text.trim().toLowerCase())), read: (v) => (typeof v === 'boolean' ? Number(v) : undefined) };
    case 'uuid':
      return stringCodec((text) => {
        const hex = text.trim().replace(/^\{(.*)\}$/, '$1');
        return /^[0-9a-f]{8}(?:-?[0-9a-f]{4}){3}-?[0-9a-f]{12}$/i.test(hex) ? hex.replaceAll('-', '').toLowerCase() : undefined;
      });
    case 'timestamptz':
      return stampCodec((s) => (s.days * 86400 - (s.offset ?? 0)) * 1e6 + s.micros); // no offset means UTC
    case 'timestamp':
      return stampCodec((s) => s.days * 864e8 + s.micros); // an offset is ignored, as Postgres does
    case 'date':
      return stampCodec((s) => s.days);
    case 'time':
      return stringCodec((text) => parseClock(text)?.micros);
    case 'timetz':
      // Postgres orders timetz by UTC time, then by zone (so 10:00+01 ≠ 09:00+00); both as fixed-width digits.
      return stringCodec((text) => {
        const c = parseClock(text);
        const off = c?.offset ?? 0;
        return c && `${String(c.micros - off * 1e6 + 1e11).padStart(12, '0')}${String(100000 - off).padStart(6, '0')}`;
      });
    case 'json':
    case 'jsonb':
      return jsonCodec;
    case 'citext':
      return textCodec((s) => s.toLowerCase(), true);
    case 'bpchar':
      return textCodec((s) => s.replace(/ +$/, ''), true); // trailing blanks are insignificant in char(n)
    default:
      return textCodec((s) => s, TEXT_TYPES.has(type));
  }
}
