// Supabase's `get_logs`: the last 24 hours of one of its log sources, newest first, at most
// 100, each row shaped like the columns Supabase's fixed query for that source returns
// (mcp-types-functions.md §A5). Sources map onto our services:
//   api           every HTTP request, whichever family answered (Supabase's edge logs)
//   postgres      the database's events, with what runs inside it on Supabase (cron, webhooks, queues)
//   edge-function functions: requests, console output, workers
//   auth, realtime the family's own
// Groundwork has no Storage and no branches: asking for those is LOG404, not an empty list
// that would read as "nothing happened". Timestamps are ISO strings, not Logflare's
// microseconds, so they read without conversion.
import { z } from 'zod';
import type { Queryable } from '../db/port.ts';
import { sql, type Sql } from '../lib/sql.ts';
import type { Level } from '../observe/describe.ts';
import { logsErrors } from './errors.ts';
import { filterConditions, selectLogs, type LogRecord } from './query.ts';

export const SUPABASE_LOG_SERVICES = ['api', 'branch-action', 'postgres', 'edge-function', 'auth', 'storage', 'realtime'] as const;
export const supabaseLogServiceSchema = z.enum(SUPABASE_LOG_SERVICES);
export type SupabaseLogService = z.infer<typeof supabaseLogServiceSchema>;

const REQUEST_EVENTS = ['request', 'request-aborted', 'client-error'];
const WINDOW_HOURS = 24;
const LIMIT = 100;

function conditionsFor(service: SupabaseLogService): Sql[] {
  switch (service) {
    case 'api':
      return filterConditions({ events: REQUEST_EVENTS });
    case 'postgres':
      return filterConditions({ services: ['postgres', 'cron', 'webhooks', 'queues'] });
    case 'edge-function':
      return filterConditions({ services: ['functions'] });
    case 'auth':
    case 'realtime':
      return filterConditions({ services: [service] });
    case 'storage':
    case 'branch-action':
      throw logsErrors.unsupportedService(service);
  }
}

const SEVERITY: Readonly<Record<Level, string>> = { trace: 'DEBUG', debug: 'DEBUG', info: 'LOG', warn: 'WARNING', error: 'ERROR', fatal: 'FATAL' };

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
/** A URL's path, without its query. */
const pathOf = (url: unknown): string | null => (typeof url === 'string' ? (url.split('?')[0] ?? url) : null);
/** `/functions/v1/<name>/…` → name. */
const functionOf = (url: unknown): string | null => (typeof url === 'string' ? (/^\/functions\/v1\/([^/?]+)/.exec(url)?.[1] ?? null) : null);

/** One record in the shape of Supabase's rows for `service`. Pure. */
export function shapeLogRow(service: SupabaseLogService, r: LogRecord): Record<string, unknown> {
  const f = r.fields;
  const base = { id: r.id, timestamp: r.timestamp, event_message: r.message };
  switch (service) {
    case 'api':
      return { ...base, method: text(f['method']), path: pathOf(f['url']), status_code: num(f['status']), request_id: r.request_id };
    case 'postgres':
      return { ...base, error_severity: SEVERITY[r.level] };
    case 'edge-function':
      return {
        ...base,
        level: r.level,
        status_code: num(f['status']),
        method: text(f['method']),
        function_id: text(f['function']) ?? functionOf(f['url']),
        execution_time_ms: num(f['ms']),
        request_id: r.request_id,
      };
    case 'auth':
      return { ...base, level: r.level, status: num(f['status']), path: pathOf(f['url']), msg: r.message, error: text(f['error']), request_id: r.request_id };
    default:
      return base;
  }
}

/** The last 24 hours of `service`'s logs, newest first, at most 100. */
export async function getLogs(db: Queryable, service: SupabaseLogService): Promise<Record<string, unknown>[]> {
  const where = [...conditionsFor(service), sql`at >= now() - make_interval(hours => ${WINDOW_HOURS}::int)`];
  const records = await selectLogs(db, where, 'desc', LIMIT);
  return records.map((r) => shapeLogRow(service, r));
}
