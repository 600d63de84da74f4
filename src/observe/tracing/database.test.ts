// The database decorator: spans only under a recording span, named by the statement, with
// the transaction's statements as its children and errors keeping their SQLSTATE.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { context, trace, type Context } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Database, Queryable, QueryResult, Row } from '../../db/port.ts';
import { sql } from '../../lib/sql.ts';
import { useContextManager } from './context.ts';
import { operationOf, tracedDatabase } from './database.ts';

const ok: QueryResult = { rows: [], rowCount: 0 };

/** A database that answers everything at once, failing any pipeline of two statements. */
function fakeDatabase(): Database {
  const tx: Queryable = {
    query: async <R extends Row = Row>(): Promise<QueryResult<R>> => ({ rows: [], rowCount: 0 }),
    script: async () => undefined,
  };
  const fail = () => Object.assign(new Error('relation does not exist'), { sqlstate: '42P01' });
  return {
    mode: 'server',
    query: tx.query,
    script: async () => undefined,
    transaction: async (work) => work(tx),
    pipeline: async (statements) => {
      if (statements.length === 2) throw fail();
      return statements.map(() => ok);
    },
    listen: async () => async () => undefined,
    ping: async () => undefined,
    stats: () => ({ max: 3, busy: 1, waiting: 0, acquired: 5, waitedMs: 2 }),
    close: async () => undefined,
  };
}

describe('traced database', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('test');
  const db = tracedDatabase(fakeDatabase(), tracer, 'api');
  let release: () => void;
  before(() => {
    release = useContextManager();
  });
  after(async () => {
    release();
    await provider.shutdown();
  });

  /** Runs `work` under a fresh request span; returns the spans it ended, the request's last. */
  async function underRequest(work: () => Promise<unknown>, parent?: Context): Promise<ReadableSpan[]> {
    exporter.reset();
    const span = tracer.startSpan('GET /rest/v1/*', {}, parent);
    await context.with(trace.setSpan(parent ?? context.active(), span), work).catch(() => undefined);
    span.end();
    return exporter.getFinishedSpans();
  }

  it('names statements by their first keyword', () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['select 1', 'SELECT'],
      ['  with x as (select 1) select * from x', 'WITH'],
      ['INSERT into t values ($1)', 'INSERT'],
      ['(select 1)', 'SQL'],
      ['', 'SQL'],
    ];
    for (const [text, op] of cases) assert.equal(operationOf(text), op, text);
  });

  it('passes work outside a traced request straight through', async () => {
    exporter.reset();
    await db.query(sql`select 1`);
    await db.pipeline([sql`select 1`]);
    await db.transaction((tx) => tx.query(sql`select 1`));
    assert.deepEqual(exporter.getFinishedSpans(), []);
  });

  it('makes a transaction span with a child per statement', async () => {
    const spans = await underRequest(() =>
      db.transaction(
        async (tx) => {
          await tx.query(sql`select ${1}`);
          await tx.query(sql`update t set a = ${2}`);
        },
        { caller: { role: 'authenticated', claims: {}, headers: {}, cookies: {}, method: 'GET', path: '/' } },
      ),
    );
    const [select, update, txSpan, request] = spans;
    assert.deepEqual(
      spans.map((s) => s.name),
      ['SELECT', 'UPDATE', 'transaction', 'GET /rest/v1/*'],
    );
    assert.equal(txSpan?.parentSpanContext?.spanId, request?.spanContext().spanId);
    assert.equal(select?.parentSpanContext?.spanId, txSpan?.spanContext().spanId);
    assert.equal(update?.parentSpanContext?.spanId, txSpan?.spanContext().spanId);
    assert.equal(select?.attributes['db.query.text'], 'select $1');
    assert.equal(select?.attributes['db.system.name'], 'postgresql');
    assert.equal(txSpan?.attributes['groundwork.db.role'], 'authenticated');
    assert.equal(txSpan?.attributes['groundwork.db.connection'], 'api');
  });

  it('makes one span for a pipeline, with its statement\'s text', async () => {
    const spans = await underRequest(() => db.pipeline([sql`select * from posts where id = ${1}`]));
    assert.equal(spans[0]?.name, 'SELECT');
    assert.equal(spans[0]?.attributes['db.query.text'], 'select * from posts where id = $1');
    assert.equal(spans[0]?.attributes['db.operation.batch.size'], undefined);
  });

  it('marks a failed statement with its SQLSTATE', async () => {
    const spans = await underRequest(() => db.pipeline([sql`select 1`, sql`select * from missing`]));
    const batch = spans[0];
    assert.equal(batch?.name, 'BATCH');
    assert.equal(batch?.attributes['db.operation.batch.size'], 2);
    assert.equal(batch?.attributes['db.response.status_code'], '42P01');
    assert.equal(batch?.status.code, 2);
  });

  it('records nothing under a request that is not sampled', async () => {
    const unsampled = trace.setSpanContext(context.active(), { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 0, isRemote: true });
    const spans = await underRequest(() => db.pipeline([sql`select 1`]), unsampled);
    assert.deepEqual(spans, []);
  });

  it("finds the request's span in the caller's traceparent, without an async context", async () => {
    exporter.reset();
    const caller = (traceparent: string) => ({ role: 'anon', claims: {}, headers: { traceparent }, cookies: {}, method: 'GET', path: '/' });
    await db.pipeline([sql`select 1`], { caller: caller('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01') });
    await db.transaction((tx) => tx.query(sql`select 2`), { caller: caller('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01') });
    await db.pipeline([sql`select 3`], { caller: caller('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00') });
    await db.pipeline([sql`select 4`], { caller: caller('garbage') });
    const spans = exporter.getFinishedSpans();
    assert.deepEqual(
      spans.map((s) => s.name),
      ['SELECT', 'SELECT', 'transaction'],
    );
    assert.ok(spans.every((s) => s.spanContext().traceId === '0af7651916cd43dd8448eb211c80319c'));
    assert.equal(spans[0]?.parentSpanContext?.spanId, 'b7ad6b7169203331');
    assert.equal(spans[2]?.parentSpanContext?.spanId, 'b7ad6b7169203331');
  });

  it('passes the pool statistics through', () => {
    assert.deepEqual(db.stats?.(), { max: 3, busy: 1, waiting: 0, acquired: 5, waitedMs: 2 });
  });
});
