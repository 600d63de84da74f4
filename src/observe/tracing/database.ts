// The Database port with spans: start-up wraps each connection in this (src/app/start.ts), so
// no caller changes. Work done for a traced request gets client spans under the request's
// span: a transaction, with a span per statement; a pipeline (a whole transaction in one
// round trip), as one span holding its statements' text. The request's span is found in the
// active context (with the async context on: every call) or else in the `traceparent` of the
// caller the work runs as (http.ts puts it there: every REST transaction). Work for no traced
// request (the workers' sweeps, Auth's flows without the async context) or for a request
// not sampled passes straight through.
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { parseTraceParent } from '@opentelemetry/core';
import type { Database, Queryable, QueryResult, Row, TransactionOptions } from '../../db/port.ts';
import { compile, type Sql } from '../../lib/sql.ts';

/** The statement's first keyword, upper-cased (`SELECT`, `WITH`, `INSERT`): the span's name. */
export function operationOf(text: string): string {
  const m = /^\s*([A-Za-z]+)/.exec(text);
  return m === null ? 'SQL' : (m[1] as string).toUpperCase();
}

/** The sampled request span `opts` runs for, if any: the active one, else the caller's `traceparent`. */
function recordingParent(opts?: TransactionOptions): Context | undefined {
  const active = context.active();
  const span = trace.getSpan(active);
  if (span !== undefined) return span.isRecording() ? active : undefined;
  const header = opts?.caller?.headers['traceparent'];
  // Most requests are not sampled when sampling is on: their flags' last hex digit is even.
  if (header === undefined || header.length !== 55 || (parseInt(header.charAt(54), 16) & 1) === 0) return undefined;
  const parent = parseTraceParent(header);
  return parent !== null && (parent.traceFlags & 1) === 1 ? trace.setSpanContext(ROOT_CONTEXT, parent) : undefined;
}

/** Ends `span` with the outcome of `work`: an error keeps its SQLSTATE when it has one. */
async function within<T>(span: Span, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    const sqlstate = (e as { sqlstate?: unknown } | null)?.sqlstate;
    if (typeof sqlstate === 'string') span.setAttribute('db.response.status_code', sqlstate);
    span.setAttribute('error.type', typeof sqlstate === 'string' ? sqlstate : e instanceof Error ? e.name : 'error');
    span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.message : String(e) });
    throw e;
  } finally {
    span.end();
  }
}

export function tracedDatabase(db: Database, tracer: Tracer, connection: string): Database {
  const base = (opts?: TransactionOptions): Attributes => {
    const attributes: Attributes = { 'db.system.name': 'postgresql', 'groundwork.db.connection': connection };
    if (opts?.caller !== undefined) attributes['groundwork.db.role'] = opts.caller.role;
    return attributes;
  };

  const statement = (q: Sql, parent: Context): Span => {
    const { text } = compile(q);
    const operation = operationOf(text);
    return tracer.startSpan(operation, { kind: SpanKind.CLIENT, attributes: { ...base(), 'db.operation.name': operation, 'db.query.text': text } }, parent);
  };

  /** Statements inside a traced transaction: each a child of its span. */
  const tracedTx = (tx: Queryable, parent: Context): Queryable => ({
    query: <R extends Row = Row>(q: Sql): Promise<QueryResult<R>> => within(statement(q, parent), () => tx.query<R>(q)),
    script: (text) => within(tracer.startSpan('SCRIPT', { kind: SpanKind.CLIENT, attributes: base() }, parent), () => tx.script(text)),
  });

  return {
    mode: db.mode,
    query<R extends Row = Row>(q: Sql): Promise<QueryResult<R>> {
      const parent = recordingParent();
      return parent === undefined ? db.query<R>(q) : within(statement(q, parent), () => db.query<R>(q));
    },
    script: (text) => db.script(text),
    transaction<T>(work: (tx: Queryable) => Promise<T>, opts?: TransactionOptions): Promise<T> {
      const parent = recordingParent(opts);
      if (parent === undefined) return db.transaction(work, opts);
      const span = tracer.startSpan('transaction', { kind: SpanKind.CLIENT, attributes: base(opts) }, parent);
      const inside = trace.setSpan(parent, span);
      return within(span, () => db.transaction((tx) => work(tracedTx(tx, inside)), opts));
    },
    pipeline(statements: readonly Sql[], opts?: TransactionOptions): Promise<QueryResult[]> {
      const parent = recordingParent(opts);
      if (parent === undefined) return db.pipeline(statements, opts);
      const text = statements.length === 1 ? compile(statements[0] as Sql).text : statements.map((s) => compile(s).text).join(';\n');
      const operation = statements.length === 1 ? operationOf(text) : 'BATCH';
      const attributes = base(opts);
      attributes['db.operation.name'] = operation;
      attributes['db.query.text'] = text;
      if (statements.length > 1) attributes['db.operation.batch.size'] = statements.length;
      const span = tracer.startSpan(operation, { kind: SpanKind.CLIENT, attributes }, parent);
      return within(span, () => db.pipeline(statements, opts));
    },
    listen: (channel, onMessage, onRelisten) => db.listen(channel, onMessage, onRelisten),
    ping: () => db.ping(),
    ...(db.activity === undefined ? {} : { activity: () => db.activity?.() ?? { busyMs: 0, waiting: 0 } }),
    ...(db.stats === undefined ? {} : { stats: () => db.stats?.() ?? { max: 0, busy: 0, waiting: 0, acquired: 0, waitedMs: 0 } }),
    close: () => db.close(),
  };
}
