// Request bodies: JSON, form-urlencoded and CSV become rows (tables) or arguments (RPC);
// text, XML and binary bodies pass through for functions taking one unnamed argument.
import { jsonShape } from '../../lib/json-shape.ts';
import { restErrors } from '../errors.ts';
import { REST_LIMITS } from './limits.ts';

export type Payload =
  | { readonly kind: 'rows'; readonly rows: readonly Record<string, unknown>[]; readonly keys: readonly string[] }
  | { readonly kind: 'args'; readonly value: unknown }
  | { readonly kind: 'raw'; readonly mediaType: 'text/plain' | 'text/xml' | 'application/octet-stream'; readonly data: Buffer };

const RAW_TYPES = ['text/plain', 'text/xml', 'application/octet-stream'] as const;

export function essence(contentType: string | undefined): string {
  return (contentType ?? 'application/json').split(';')[0]?.trim().toLowerCase() || 'application/json';
}

function parseJson(text: string): unknown {
  if (text.trim() === '') throw restErrors.invalidBody('Empty or invalid json');
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw restErrors.invalidBody('Empty or invalid json');
  }
  // Deeper JSON would overflow JSON.stringify (a RangeError) before PostgreSQL saw it.
  if (jsonShape(text, REST_LIMITS.jsonDepth).depth > REST_LIMITS.jsonDepth) {
    throw restErrors.invalidBody(`JSON nested deeper than ${REST_LIMITS.jsonDepth} levels`);
  }
  return value;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** CSV with a header line; an empty field is '' and a bare NULL is null (PostgREST's rules). */
export function parseCsv(text: string): Record<string, unknown>[] {
  const records: Array<Array<{ value: string; quoted: boolean }>> = [];
  let row: Array<{ value: string; quoted: boolean }> = [];
  let i = 0;
  while (i <= text.length) {
    let value = '';
    let quoted = false;
    if (text[i] === '"') {
      quoted = true;
      i++;
      while (i < text.length && !(text[i] === '"' && text[i + 1] !== '"')) {
        value += text[i] === '"' ? '"' : text[i];
        i += text[i] === '"' ? 2 : 1;
      }
      i++;
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') value += text[i++];
    }
    row.push({ value, quoted });
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === '\r') i++;
    i++;
    if (!(row.length === 1 && row[0]?.value === '' && !row[0].quoted)) records.push(row);
    row = [];
  }
  const [header, ...body] = records;
  if (header === undefined) return [];
  return body.map((r) => {
    if (r.length !== header.length) throw restErrors.invalidBody('All lines must have same number of fields');
    return Object.fromEntries(header.map((h, k) => {
      const cell = r[k] as { value: string; quoted: boolean };
      return [h.value, !cell.quoted && cell.value === 'NULL' ? null : cell.value];
    }));
  });
}

function formObject(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** Rows for POST/PATCH/PUT on a table. `checkKeys` is off when `columns=` names the keys. */
export function tablePayload(contentType: string | undefined, body: Buffer, checkKeys: boolean): Payload {
  const type = essence(contentType);
  let rows: Record<string, unknown>[];
  if (type === 'application/json') {
    const value = parseJson(body.toString('utf8'));
    if (Array.isArray(value)) {
      if (!value.every(isObject)) throw restErrors.invalidBody('All object keys must match');
      rows = value;
    } else rows = isObject(value) ? [value] : [];
  } else if (type === 'application/x-www-form-urlencoded') {
    const o = formObject(body.toString('utf8'));
    rows = [Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Array.isArray(v) ? v.at(-1) : v]))];
  } else if (type === 'text/csv') {
    rows = parseCsv(body.toString('utf8'));
  } else {
    throw restErrors.invalidBody(`Content-Type not acceptable: ${type}`);
  }
  const keys = rows[0] === undefined ? [] : Object.keys(rows[0]);
  if (checkKeys && rows.length > 1) {
    const want = [...keys].sort().join('\u0000');
    if (!rows.every((r) => Object.keys(r).sort().join('\u0000') === want)) throw restErrors.invalidBody('All object keys must match');
  }
  return { kind: 'rows', rows, keys };
}

/** Arguments for POST /rpc/fn. */
export function rpcPayload(contentType: string | undefined, body: Buffer): Payload {
  const type = essence(contentType);
  if ((RAW_TYPES as readonly string[]).includes(type)) return { kind: 'raw', mediaType: type as (typeof RAW_TYPES)[number], data: body };
  if (type === 'application/json') {
    const text = body.toString('utf8');
    return { kind: 'args', value: text.trim() === '' ? {} : parseJson(text) };
  }
  if (type === 'application/x-www-form-urlencoded') return { kind: 'args', value: formObject(body.toString('utf8')) };
  if (type === 'text/csv') return { kind: 'args', value: parseCsv(body.toString('utf8'))[0] ?? {} };
  throw restErrors.invalidBody(`Content-Type not acceptable: ${type}`);
}
