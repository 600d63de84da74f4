// Supabase's get_logs rows, per source, from stored entries.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { shapeLogRow, supabaseLogServiceSchema } from './get-logs.ts';
import type { LogRecord } from './query.ts';

const record = (over: Partial<LogRecord>): LogRecord => ({
  id: '42',
  timestamp: '2025-03-01T10:00:00.123Z',
  node: 'h:1',
  service: 'api',
  level: 'info',
  event: 'request',
  message: 'm',
  request_id: null,
  trace_id: null,
  fields: {},
  ...over,
});
const base = { id: '42', timestamp: '2025-03-01T10:00:00.123Z' };

const examples: ReadonlyArray<readonly [Parameters<typeof shapeLogRow>[0], LogRecord, Record<string, unknown>]> = [
  [
    'api',
    record({ service: 'rest', message: 'GET /rest/v1/films?id=eq.1 200', request_id: 'r1', fields: { requestId: 'r1', method: 'GET', url: '/rest/v1/films?id=eq.1', status: 200, ms: 2 } }),
    { ...base, event_message: 'GET /rest/v1/films?id=eq.1 200', method: 'GET', path: '/rest/v1/films', status_code: 200, request_id: 'r1' },
  ],
  [
    'api',
    record({ event: 'request-aborted', message: 'POST /x aborted by the client', fields: { method: 'POST', url: '/x', ms: 3 } }),
    { ...base, event_message: 'POST /x aborted by the client', method: 'POST', path: '/x', status_code: null, request_id: null },
  ],
  ['postgres', record({ service: 'postgres', level: 'error', event: 'db-reachability', message: 'database unreachable' }), { ...base, event_message: 'database unreachable', error_severity: 'ERROR' }],
  ['postgres', record({ service: 'cron', level: 'info', event: 'cron-run', message: 'cron job nightly succeeded' }), { ...base, event_message: 'cron job nightly succeeded', error_severity: 'LOG' }],
  ['postgres', record({ service: 'webhooks', level: 'warn', event: 'http-delivery', message: 'POST https://h/ 503: will retry' }), { ...base, event_message: 'POST https://h/ 503: will retry', error_severity: 'WARNING' }],
  [
    'edge-function',
    record({ service: 'functions', message: 'POST /functions/v1/hello 200', request_id: 'r2', fields: { method: 'POST', url: '/functions/v1/hello?x=1', status: 200, ms: 31.5 } }),
    { ...base, event_message: 'POST /functions/v1/hello 200', level: 'info', status_code: 200, method: 'POST', function_id: 'hello', execution_time_ms: 31.5, request_id: 'r2' },
  ],
  [
    'edge-function',
    record({ service: 'functions', level: 'warn', event: 'function-log', message: 'careful', request_id: 'r3', fields: { function: 'hello', requestId: 'r3' } }),
    { ...base, event_message: 'careful', level: 'warn', status_code: null, method: null, function_id: 'hello', execution_time_ms: null, request_id: 'r3' },
  ],
  [
    'auth',
    record({ service: 'auth', level: 'error', message: 'POST /auth/v1/token?grant_type=password 500', fields: { method: 'POST', url: '/auth/v1/token?grant_type=password', status: 500 } }),
    { ...base, event_message: 'POST /auth/v1/token?grant_type=password 500', level: 'error', status: 500, path: '/auth/v1/token', msg: 'POST /auth/v1/token?grant_type=password 500', error: null, request_id: null },
  ],
  [
    'auth',
    record({ service: 'auth', level: 'warn', event: 'mail-failed', message: 'mail not sent; will retry', fields: { error: 'refused' } }),
    { ...base, event_message: 'mail not sent; will retry', level: 'warn', status: null, path: null, msg: 'mail not sent; will retry', error: 'refused', request_id: null },
  ],
  ['realtime', record({ service: 'realtime', level: 'warn', message: 'realtime error' }), { ...base, event_message: 'realtime error' }],
];

for (const [service, r, expected] of examples) {
  it(`shapes a ${r.event} entry as a Supabase ${service} row`, () => assert.deepEqual(shapeLogRow(service, r), expected));
}

it("accepts Supabase's source names only", () => {
  for (const s of ['api', 'branch-action', 'postgres', 'edge-function', 'auth', 'storage', 'realtime']) assert.equal(supabaseLogServiceSchema.safeParse(s).success, true, s);
  for (const s of ['rest', 'functions', 'API', '']) assert.equal(supabaseLogServiceSchema.safeParse(s).success, false, s);
});
