// Reading the log store: a filter validated at the edge (the schema is exported for the MCP
// `query_logs` tool), then one indexed statement. Newest first by default.
import { z } from 'zod';
import type { Queryable } from '../db/port.ts';
import { join, raw, sql, type Sql } from '../lib/sql.ts';
import { LEVELS, LEVEL_VALUES, SERVICES, type Level, type Service } from '../observe/describe.ts';
import { logsErrors } from './errors.ts';

export const MAX_LIMIT = 1000;
const timestamp = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 timestamp with a time zone, e.g. 2025-01-31T12:00:00Z' });
const id = z.string().min(1).max(200);

// Descriptions travel with the schema: the MCP tool publishes them as its input's JSON Schema.
export const logFilterSchema = z
  .object({
    services: z
      .array(z.enum(SERVICES))
      .min(1)
      .max(SERVICES.length)
      .optional()
      .describe('Only these services (all when absent): rest, auth, realtime, functions, webhooks, cron, queues, postgres, server, or api (other HTTP requests).'),
    level: z.enum(LEVELS).optional().describe('The lowest level: warn keeps warn, error and fatal.'),
    events: z.array(z.string().min(1).max(64)).min(1).max(50).optional().describe('Only these observation types, e.g. request, cron-run, http-delivery, function-log.'),
    since: timestamp.optional().describe('From this instant, inclusive (ISO 8601 with a time zone).'),
    until: timestamp.optional().describe('Up to this instant, inclusive (ISO 8601 with a time zone).'),
    requestId: id.optional().describe("One request's entries (its x-request-id)."),
    traceId: id.optional().describe("One trace's entries."),
    search: z.string().min(1).max(500).optional().describe('A case-insensitive substring of the message.'),
    limit: z.number().int().min(1).max(MAX_LIMIT).default(100).describe(`At most this many entries (1 to ${MAX_LIMIT}).`),
    order: z.enum(['desc', 'asc']).default('desc').describe('desc: newest first; asc: oldest first.'),
  })
  .strict()
  .refine((f) => f.since === undefined || f.until === undefined || Date.parse(f.since) <= Date.parse(f.until), { message: 'must not be after until', path: ['since'] });

/** What callers send (defaults may be left out). */
export type LogFilterInput = z.input<typeof logFilterSchema>;
/** A checked filter. */
export type LogFilter = z.output<typeof logFilterSchema>;

/** One stored entry as readers get it. */
export interface LogRecord {
  /** A bigint, as text. */
  readonly id: string;
  /** ISO 8601, UTC, milliseconds. */
  readonly timestamp: string;
  readonly node: string;
  readonly service: Service;
  readonly level: Level;
  readonly event: string;
  readonly message: string;
  readonly request_id: string | null;
  readonly trace_id: string | null;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Checks a filter from outside (a tool's arguments); throws LOG400 with the first problem. */
export function parseLogFilter(input: unknown): LogFilter {
  const parsed = logFilterSchema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? '' : `${issue.path.join('.')}: `;
  throw logsErrors.badFilter(`${where}${issue?.message ?? 'is invalid'}`);
}

/** The levels at or above `minimum`. */
export function levelsFrom(minimum: Level): Level[] {
  return LEVELS.filter((l) => LEVEL_VALUES[l] >= LEVEL_VALUES[minimum]);
}

/** The conditions a filter sets, each on an indexed or cheap column. */
export function filterConditions(f: Omit<LogFilter, 'limit' | 'order'>): Sql[] {
  const where: Sql[] = [];
  if (f.services !== undefined) where.push(sql`service = any(${f.services}::text[])`);
  if (f.level !== undefined && f.level !== 'trace') where.push(sql`level = any(${levelsFrom(f.level)}::text[])`);
  if (f.events !== undefined) where.push(sql`event = any(${f.events}::text[])`);
  if (f.since !== undefined) where.push(sql`at >= ${f.since}::timestamptz`);
  if (f.until !== undefined) where.push(sql`at <= ${f.until}::timestamptz`);
  if (f.requestId !== undefined) where.push(sql`request_id = ${f.requestId}`);
  if (f.traceId !== undefined) where.push(sql`trace_id = ${f.traceId}`);
  if (f.search !== undefined) where.push(sql`strpos(lower(message), lower(${f.search}::text)) > 0`);
  return where;
}

/** The entries matching `where`, newest (or oldest) first. */
export async function selectLogs(db: Queryable, where: readonly Sql[], order: 'asc' | 'desc', limit: number): Promise<LogRecord[]> {
  const direction = raw(order === 'asc' ? 'asc' : 'desc');
  const { rows } = await db.query<Record<string, unknown>>(sql`
    select id, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as timestamp, node, service, level, event, message, request_id, trace_id, fields
    from _groundwork.logs
    ${where.length === 0 ? sql`` : sql`where ${join(where, ' and ')}`}
    order by at ${direction}, id ${direction}
    limit ${limit}`);
  return rows.map((r) => ({ ...r, id: String(r['id']) }) as unknown as LogRecord);
}

export function queryLogs(db: Queryable, filter: LogFilter): Promise<LogRecord[]> {
  return selectLogs(db, filterConditions(filter), filter.order, filter.limit);
}
