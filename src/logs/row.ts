// One log entry as the store writes it: the observation's description (src/observe/
// describe.ts) made storable. PostgreSQL's text and jsonb refuse NUL characters and lone
// surrogates, and one such entry would fail its whole batch again and again, so strings are
// made valid here; sizes are bounded so one huge message cannot bloat the table. Pure.
import type { Description, Level, Service } from '../observe/describe.ts';

/** Supabase's own bound on a function's log message. */
export const MAX_MESSAGE_CHARS = 10_000;
/** Any one string inside the fields (an error's stack, a long URL). */
export const MAX_FIELD_CHARS = 4_096;
/** The fields as JSON; past it only a note that they were too large is kept. */
export const MAX_FIELDS_CHARS = 32_768;

/** What the buffer holds: the description, and when and what was observed. */
export interface LogEntry {
  /** Milliseconds since the epoch. */
  readonly at: number;
  /** The observation's type (`request`, `cron-run`…). */
  readonly event: string;
  readonly description: Description;
}

/** A row as the insert statement reads it (jsonb_to_recordset). */
export interface LogRow {
  readonly at: string;
  readonly service: Service;
  readonly level: Level;
  readonly event: string;
  readonly message: string;
  readonly request_id: string | null;
  readonly trace_id: string | null;
  /** The fields as JSON text, spliced into the batch's JSON as they are (no second encoding). */
  readonly fields: string;
}

// A surrogate without its pair (code units, so no `u` flag).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function clean(s: string, max: number): string {
  // Cut first: a pair the cut splits is then replaced like any other lone half.
  const cut = s.length > max ? `${s.slice(0, max)}…` : s;
  return cut.replace(LONE_SURROGATE, '\uFFFD').replaceAll('\u0000', '\uFFFD');
}

/** An Error as pino prints it (type, message, code, stack), so the store keeps what stdout shows. */
function plainError(e: Error): Record<string, unknown> {
  const { code } = e as { code?: unknown };
  return { type: e.name, message: e.message, ...(code === undefined ? {} : { code }), ...(e.stack === undefined ? {} : { stack: e.stack }) };
}

function storableFields(fields: Readonly<Record<string, unknown>>): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(fields, (_key, v: unknown) => {
      if (typeof v === 'string') return clean(v, MAX_FIELD_CHARS);
      if (typeof v === 'bigint') return v.toString();
      if (v instanceof Error) return plainError(v);
      return v;
    });
  } catch {
    return '{"unserializable":true}';
  }
  if (text === undefined) return '{}';
  return text.length > MAX_FIELDS_CHARS ? JSON.stringify({ truncated: true, chars: text.length }) : text;
}

const idOf = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? clean(v, 200) : null);

export function toLogRow(entry: LogEntry): LogRow {
  const { description: d } = entry;
  return {
    at: new Date(entry.at).toISOString(),
    service: d.service,
    level: d.level,
    event: entry.event,
    message: clean(d.message, MAX_MESSAGE_CHARS),
    request_id: idOf(d.fields['requestId']),
    trace_id: idOf(d.fields['traceId']),
    fields: storableFields(d.fields),
  };
}

/** The batch as one JSON array: the insert's only parameter. */
export function batchJson(rows: readonly LogRow[]): string {
  const parts = rows.map(({ fields, ...rest }) => `${JSON.stringify(rest).slice(0, -1)},"fields":${fields}}`);
  return `[${parts.join(',')}]`;
}
