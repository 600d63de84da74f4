// The log store's sink and flusher against a stand-in database: batches, the level
// threshold, an outage (bounded buffer, retried, losses reported) and a refused batch.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { DbError, DbUnavailableError } from '../db/errors.ts';
import type { Database, QueryResult } from '../db/port.ts';
import { compile, type Sql } from '../lib/sql.ts';
import type { Observation } from '../observe/events.ts';
import { createLogWriter } from './writer.ts';

type Stored = { message: string; level: string; event: string; service: string; fields: Record<string, unknown> };

/** Records each insert's rows; `state` makes it fail like a database that is away or refuses. */
function standIn() {
  const batches: Stored[][] = [];
  const db = {
    state: 'up' as 'up' | 'down' | 'refuse',
    batches,
    get rows(): Stored[] {
      return batches.flat();
    },
    async query(q: Sql): Promise<QueryResult> {
      if (db.state === 'down') throw new DbUnavailableError('connection refused');
      if (db.state === 'refuse') throw new DbError({ sqlstate: '22P02', message: 'invalid input syntax' });
      const { values } = compile(q);
      assert.equal(values[0], 'node-1');
      batches.push(JSON.parse(values[1] as string) as Stored[]);
      return { rows: [], rowCount: 0 };
    },
  };
  return db;
}
const asDb = (s: ReturnType<typeof standIn>) => s as unknown as Database;

const request = (i: number, status = 200): Observation => ({ type: 'request', requestId: `r${i}`, method: 'GET', url: `/rest/v1/t?i=${i}`, status, ms: 1, bytes: 2 });

it('writes what the level keeps, in batches of one statement each', async () => {
  const db = standIn();
  const w = createLogWriter({ db: asDb(db), node: 'node-1', level: 'info', batchRows: 2 });
  w.sink(request(1));
  w.sink({ type: 'db-notice', message: 'debug, not kept' });
  w.sink(request(2, 503));
  w.sink(request(3));
  await w.flush();
  assert.deepEqual(
    db.batches.map((b) => b.map((r) => [r.message, r.level, r.service])),
    [
      [
        ['GET /rest/v1/t?i=1 200', 'info', 'rest'],
        ['GET /rest/v1/t?i=2 503', 'error', 'rest'],
      ],
      [['GET /rest/v1/t?i=3 200', 'info', 'rest']],
    ],
  );
  assert.deepEqual(db.batches[0]?.[0]?.fields, { requestId: 'r1', method: 'GET', url: '/rest/v1/t?i=1', status: 200, ms: 1, bytes: 2 });
  assert.equal(w.stats().written, 3);
});

it('keeps only warnings and worse at warn, and nothing at silent', async () => {
  const db = standIn();
  const warn = createLogWriter({ db: asDb(db), node: 'node-1', level: 'warn' });
  const silent = createLogWriter({ db: asDb(db), node: 'node-1', level: 'silent' });
  for (const w of [warn, silent]) {
    w.sink(request(1));
    w.sink({ type: 'db-reachability', pool: 'api', down: true });
    await w.flush();
  }
  assert.deepEqual(db.rows.map((r) => r.event), ['db-reachability']);
});

it('flushes a full batch at once once started, without waiting for the timer', async () => {
  const db = standIn();
  const w = createLogWriter({ db: asDb(db), node: 'node-1', level: 'info', batchRows: 3, flushMs: 60_000 });
  for (let i = 0; i < 3; i++) w.sink(request(i));
  await tick();
  assert.equal(db.batches.length, 0, 'not before start');
  w.start();
  w.sink(request(3));
  await tick();
  await tick();
  assert.equal(db.rows.length, 4);
  await w.stop();
});

it('keeps a bounded buffer while the database is away, then writes it with a note of what was lost', async () => {
  const db = standIn();
  const w = createLogWriter({ db: asDb(db), node: 'node-1', level: 'info', bufferRows: 5, batchRows: 2 });
  db.state = 'down';
  for (let i = 0; i < 4; i++) w.sink(request(i));
  await w.flush();
  assert.deepEqual([w.stats().buffered, w.stats().failedFlushes, w.stats().lastError], [4, 1, 'connection refused']);
  for (let i = 4; i < 9; i++) w.sink(request(i));
  await w.flush();
  assert.deepEqual([w.stats().buffered, w.stats().dropped], [5, 4]);
  db.state = 'up';
  await w.flush();
  assert.deepEqual(
    db.rows.map((r) => r.message),
    ['GET /rest/v1/t?i=4 200', 'GET /rest/v1/t?i=5 200', 'log store lost 4 entries (4 past its buffer while the database was slow or away, 0 refused by the database)', 'GET /rest/v1/t?i=6 200', 'GET /rest/v1/t?i=7 200', 'GET /rest/v1/t?i=8 200'],
  );
  const note = db.rows[2];
  assert.deepEqual([note?.level, note?.service, note?.event, note?.fields], ['warn', 'server', 'log-store-loss', { dropped: 4, refused: 0, lastError: 'connection refused' }]);
  assert.deepEqual([w.stats().buffered, w.stats().written, w.stats().dropped], [0, 5, 4]);
});

it('drops a batch the database refuses, writes the ones behind it and reports the loss', async () => {
  const db = standIn();
  const w = createLogWriter({ db: asDb(db), node: 'node-1', level: 'info', batchRows: 2 });
  db.state = 'refuse';
  w.sink(request(1));
  w.sink(request(2));
  await w.flush();
  assert.deepEqual([w.stats().buffered, w.stats().refused], [0, 2]);
  db.state = 'up';
  w.sink(request(3));
  await w.flush();
  assert.deepEqual(db.rows.map((r) => r.event), ['request', 'log-store-loss']);
  assert.deepEqual(db.rows[1]?.fields, { dropped: 0, refused: 2, lastError: 'invalid input syntax' });
});

it('writes what is buffered when it stops, and nothing observed after', async () => {
  const db = standIn();
  const w = createLogWriter({ db: asDb(db), node: 'node-1', level: 'info' });
  w.start();
  w.sink(request(1));
  await w.stop();
  w.sink(request(2));
  await w.flush();
  assert.deepEqual(db.rows.map((r) => r.message), ['GET /rest/v1/t?i=1 200']);
});

it("adds the active span's trace id, as the JSON log's mixin does, unless the observation carries one", async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const db = standIn();
  const w = createLogWriter({ db: asDb(db), node: 'node-1', level: 'info' });
  const span = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 });
  context.with(trace.setSpan(context.active(), span), () => {
    w.sink({ type: 'function-log', name: 'f', requestId: 'r', level: 'info', message: 'inside' });
    w.sink({ ...request(1), traceId: 'own' } as Observation);
  });
  w.sink({ type: 'function-log', name: 'f', requestId: 'r', level: 'info', message: 'outside' });
  await w.flush();
  assert.deepEqual(db.rows.map((r) => r.fields['traceId']), ['0af7651916cd43dd8448eb211c80319c', 'own', undefined]);
  context.disable();
});
