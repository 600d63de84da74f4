// The log store on a real database (both kinds): batches reach the table, filters pick the
// right rows, retention deletes by age and by count, an outage keeps the buffer bounded and
// is written after, and get_logs answers in Supabase's shapes.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dbKind, openTestDatabase } from '../../test/support/db.ts';
import { DbUnavailableError } from '../db/errors.ts';
import type { Database } from '../db/port.ts';
import { ApiError } from '../errors/api-error.ts';
import { sql } from '../lib/sql.ts';
import { describe as describeObservation } from '../observe/describe.ts';
import type { Observation } from '../observe/events.ts';
import { getLogs } from './get-logs.ts';
import { parseLogFilter, queryLogs } from './query.ts';
import { toLogRow } from './row.ts';
import { insertLogs, pruneLogs } from './store-sql.ts';
import { createLogWriter } from './writer.ts';

const HOUR = 3_600_000;

describe(`log store (${dbKind})`, () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Database;
  before(async () => {
    t = await openTestDatabase();
    db = t.db;
  });
  after(() => t.dispose());
  beforeEach(() => db.query(sql`delete from _groundwork.logs`));

  /** Stores observations as observed `agoMs` before now. */
  async function store(entries: ReadonlyArray<readonly [Observation, number]>): Promise<void> {
    const now = Date.now();
    await insertLogs(db, 'test-node', entries.map(([o, agoMs]) => toLogRow({ at: now - agoMs, event: o.type, description: describeObservation(o) })));
  }
  const count = async () => Number((await db.query<{ n: number }>(sql`select count(*)::int as n from _groundwork.logs`)).rows[0]?.n);
  const messages = (rows: ReadonlyArray<{ message: string }>) => rows.map((r) => r.message);
  const request = (id: string, url: string, status = 200): Observation => ({ type: 'request', requestId: id, method: 'GET', url, status, ms: 1.5, bytes: 10 });

  it(`is ${dbKind === 'pglite' ? 'a logged table on the embedded database (its restarts run recovery)' : 'an unlogged table on a server'}`, async () => {
    const { rows } = await db.query<{ p: string }>(sql`select relpersistence as p from pg_class where oid = '_groundwork.logs'::regclass`);
    assert.deepEqual(rows, [{ p: dbKind === 'pglite' ? 'p' : 'u' }]);
  });

  it('writes observations in batches, one statement each, with the node and the ids in their columns', async () => {
    let statements = 0;
    const counting = { ...db, query: ((q) => (statements++, db.query(q))) as Database['query'] };
    const w = createLogWriter({ db: counting, node: 'node-a', level: 'info', batchRows: 40 });
    for (let i = 0; i < 100; i++) w.sink({ ...request(`r${i}`, `/rest/v1/films?i=${i}`), traceId: `t${i}` } as Observation);
    await w.flush();
    assert.equal(statements, 3);
    const rows = await queryLogs(db, parseLogFilter({ limit: 1000, order: 'asc' }));
    assert.equal(rows.length, 100);
    const first = rows[0];
    assert.deepEqual(first && { ...first, id: undefined, timestamp: undefined }, {
      id: undefined,
      timestamp: undefined,
      node: 'node-a',
      service: 'rest',
      level: 'info',
      event: 'request',
      message: 'GET /rest/v1/films?i=0 200',
      request_id: 'r0',
      trace_id: 't0',
      fields: { requestId: 'r0', method: 'GET', url: '/rest/v1/films?i=0', status: 200, ms: 1.5, bytes: 10, traceId: 't0' },
    });
    assert.match(first?.timestamp ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(Math.abs(Date.parse(first?.timestamp ?? '') - Date.now()) < 60_000);
  });

  it('filters by service, level, time, request and trace id, and message text', async () => {
    await store([
      [request('a', '/rest/v1/films'), 5 * HOUR],
      [request('b', '/auth/v1/token', 500), 3 * HOUR],
      [{ type: 'cron-run', jobid: '1', jobname: 'nightly', runid: '7', status: 'failed', ms: 3, lateMs: 0, error: 'boom' }, 2 * HOUR],
      [{ type: 'http-delivery', id: '9', webhook: null, method: 'POST', url: 'https://h.test/', attempt: 1, status: 503, ms: 2, outcome: 'pending', retryInMs: 10 }, HOUR],
      [{ type: 'function-log', name: 'hello', requestId: 'c', level: 'warn', message: 'Quota Exceeded soon' }, 0],
      [{ ...request('d', '/rest/v1/films?x=1'), traceId: 'trace-1' } as Observation, 0],
    ]);
    const q = async (filter: unknown) => messages(await queryLogs(db, parseLogFilter(filter)));
    assert.deepEqual(await q({ services: ['rest'] }), ['GET /rest/v1/films?x=1 200', 'GET /rest/v1/films 200']);
    assert.deepEqual(await q({ services: ['cron', 'webhooks'], order: 'asc' }), ['cron job nightly failed', 'POST https://h.test/ 503: will retry']);
    assert.deepEqual(await q({ level: 'error' }), ['cron job nightly failed', 'GET /auth/v1/token 500']);
    assert.deepEqual(await q({ level: 'warn', services: ['functions'] }), ['Quota Exceeded soon']);
    const since = new Date(Date.now() - 4 * HOUR).toISOString();
    const until = new Date(Date.now() - 1.5 * HOUR).toISOString();
    assert.deepEqual(await q({ since, until }), ['cron job nightly failed', 'GET /auth/v1/token 500']);
    assert.deepEqual(await q({ requestId: 'c' }), ['Quota Exceeded soon']);
    assert.deepEqual(await q({ traceId: 'trace-1' }), ['GET /rest/v1/films?x=1 200']);
    assert.deepEqual(await q({ search: 'quota exceeded' }), ['Quota Exceeded soon']);
    assert.deepEqual(await q({ search: '%' }), []);
    assert.deepEqual(await q({ limit: 2, order: 'asc' }), ['GET /rest/v1/films 200', 'GET /auth/v1/token 500']);
    assert.deepEqual(await q({ events: ['cron-run'] }), ['cron job nightly failed']);
  });

  it("answers get_logs with the last 24 hours of one of Supabase's sources, newest first", async () => {
    await store([
      [request('old', '/rest/v1/films'), 25 * HOUR],
      [request('a', '/rest/v1/films?id=eq.1'), 2 * HOUR],
      [request('b', '/functions/v1/hello', 500), HOUR],
      [{ type: 'function-log', name: 'hello', requestId: 'b', level: 'error', message: 'threw' }, HOUR - 1],
      [{ type: 'db-reachability', pool: 'api', down: true }, 30 * 60_000],
      [{ type: 'cron-run', jobid: '1', jobname: null, runid: '2', status: 'succeeded', ms: 1, lateMs: 0 }, 20 * 60_000],
    ]);
    const api = await getLogs(db, 'api');
    assert.deepEqual(api.map((r) => [r['path'], r['status_code'], r['request_id']]), [['/functions/v1/hello', 500, 'b'], ['/rest/v1/films', 200, 'a']]);
    assert.deepEqual(Object.keys(api[0] ?? {}), ['id', 'timestamp', 'event_message', 'method', 'path', 'status_code', 'request_id']);
    assert.deepEqual((await getLogs(db, 'postgres')).map((r) => [r['event_message'], r['error_severity']]), [['cron job 1 succeeded', 'LOG'], ['database unreachable; answering 503 and retrying the connection', 'ERROR']]);
    assert.deepEqual((await getLogs(db, 'edge-function')).map((r) => [r['event_message'], r['function_id'], r['level']]), [['threw', 'hello', 'error'], ['GET /functions/v1/hello 500', 'hello', 'error']]);
    assert.deepEqual(await getLogs(db, 'realtime'), []);
    await assert.rejects(getLogs(db, 'storage'), (e: unknown) => e instanceof ApiError && e.code === 'LOG404' && /no Storage service/.test(e.message));
  });

  it('deletes entries past the retention, then the oldest past the row limit', async () => {
    await store([...Array(10).keys()].map((i) => [request(`r${i}`, `/rest/v1/t?i=${i}`), (10 - i) * HOUR] as const));
    assert.equal(await pruneLogs(db, { hours: 24, maxRows: 100 }), 0);
    assert.equal(await pruneLogs(db, { hours: 6, maxRows: 100 }), 5);
    assert.equal(await pruneLogs(db, { hours: 6, maxRows: 3 }), 2);
    assert.deepEqual(messages(await queryLogs(db, parseLogFilter({ order: 'asc' }))), ['GET /rest/v1/t?i=7 200', 'GET /rest/v1/t?i=8 200', 'GET /rest/v1/t?i=9 200']);
    assert.equal(await pruneLogs(db, { hours: 6, maxRows: 3 }), 0);
  });

  it('deletes in chunks, each its own transaction, until nothing is left to delete', async () => {
    await store([...Array(9).keys()].map((i) => [request(`r${i}`, `/rest/v1/t?i=${i}`), (10 - i) * HOUR] as const));
    let transactions = 0;
    const counting: Database = { ...db, transaction: (work, options) => (transactions++, db.transaction(work, options)) };
    assert.equal(await pruneLogs(counting, { hours: 6, maxRows: 2 }, 2), 7);
    // Age: 2 + 2 + 1 (the last short chunk ends it); count: 2 + 0.
    assert.equal(transactions, 5);
    assert.deepEqual(messages(await queryLogs(db, parseLogFilter({ order: 'asc' }))), ['GET /rest/v1/t?i=7 200', 'GET /rest/v1/t?i=8 200']);
  });

  it('prunes on one node at a time: another holding the lock makes it skip', async () => {
    await store([[request('r', '/'), 48 * HOUR]]);
    const skipped = await db.transaction(async (tx) => {
      await tx.query(sql`select pg_advisory_xact_lock(7270016)`);
      // The embedded database has one session: the lock is ours, so only a server shows the skip.
      return dbKind === 'postgres' ? pruneLogs(db, { hours: 24, maxRows: 100 }) : 0;
    });
    assert.equal(skipped, 0);
    assert.equal(await pruneLogs(db, { hours: 24, maxRows: 100 }), 1);
  });

  it('keeps its buffer bounded while the database is away and writes it once back', async () => {
    let down = true;
    const flaky: Database = { ...db, query: (q) => (down ? Promise.reject(new DbUnavailableError('database unreachable')) : db.query(q)) };
    const w = createLogWriter({ db: flaky, node: 'node-b', level: 'info', bufferRows: 50, batchRows: 20 });
    for (let i = 0; i < 80; i++) w.sink(request(`r${i}`, `/rest/v1/t?i=${i}`));
    await w.flush();
    await w.flush();
    assert.deepEqual([w.stats().buffered, w.stats().dropped, await count()], [50, 30, 0]);
    down = false;
    await w.flush();
    assert.equal(await count(), 51);
    const rows = await queryLogs(db, parseLogFilter({ order: 'asc', limit: 1000 }));
    const requests = rows.filter((r) => r.event === 'request');
    assert.deepEqual([requests.length, requests[0]?.request_id, requests.at(-1)?.request_id], [50, 'r30', 'r79']);
    const note = rows.find((r) => r.event === 'log-store-loss');
    assert.deepEqual(note?.fields, { dropped: 30, refused: 0, lastError: 'database unreachable' });
  });
});
