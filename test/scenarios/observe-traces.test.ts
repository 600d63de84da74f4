// Traces on a real server, exported to an OTLP/HTTP receiver in this test: a request that
// brings a `traceparent` gets a server span in that trace (its parent the caller's span),
// with a database span below it; the answer carries `traceresponse`; the request's log line
// carries the trace id; a caller that did not sample its trace gets no spans; the service
// name and export headers come from OpenTelemetry's variables. With the async context on,
// an Auth call's transaction has its statements as children, and every line the request
// logs carries its trace id.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGroundwork } from '../../src/app/start.ts';
import { silentProgress } from '../../src/lib/progress.ts';
import { createLogger, loggingObserver } from '../../src/observe/logger.ts';
import { createTestDatabase, dbKind } from '../support/db.ts';

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Array<{ key: string; value: OtlpValue }>;
  status?: { code?: number };
}
interface OtlpExport {
  resourceSpans: Array<{ resource: { attributes: Array<{ key: string; value: OtlpValue }> }; scopeSpans: Array<{ spans: OtlpSpan[] }> }>;
}

const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CLIENT = 3;
const attr = (span: OtlpSpan | undefined, key: string): unknown => {
  const v = span?.attributes.find((a) => a.key === key)?.value;
  return v?.stringValue ?? (v?.intValue === undefined ? undefined : Number(v.intValue)) ?? v?.boolValue;
};

interface Receiver {
  readonly url: string;
  readonly exports: OtlpExport[];
  readonly headers: IncomingHttpHeaders[];
  readonly server: Server;
}

/** An OTLP/HTTP collector that keeps what it is sent (JSON). */
async function startReceiver(): Promise<Receiver> {
  const exports: OtlpExport[] = [];
  const headers: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') {
        headers.push(req.headers);
        exports.push(JSON.parse(body) as OtlpExport);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, exports, headers, server };
}

/** A server tracing to `receiver`, logging JSON lines into `lines`. */
async function startTraced(receiver: Receiver, project: string, env: Record<string, string>) {
  const lines: Array<Record<string, unknown>> = [];
  const database = await createTestDatabase({
    projectDir: project,
    // Every request traced (a server's default samples a tenth).
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'groundwork-test', OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-key=k%201', GROUNDWORK_TRACE_SAMPLE_RATIO: '1', ...env },
  });
  const log = loggingObserver(createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) }));
  const gw = await startGroundwork(database.config, { observe: log, progress: silentProgress });
  return { gw, database, lines };
}

const spansOf = (exports: readonly OtlpExport[]): OtlpSpan[] => exports.flatMap((e) => e.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
const traceIdOf = (res: Response): string | undefined => res.headers.get('traceresponse')?.split('-')[1];

describe(`traces over OTLP/HTTP (${dbKind})`, () => {
  let receiver: Receiver;
  let project: string;

  before(async () => {
    receiver = await startReceiver();
    project = mkdtempSync(join(tmpdir(), 'gw-traces-'));
    mkdirSync(join(project, 'supabase', 'migrations'), { recursive: true });
    writeFileSync(
      join(project, 'supabase', 'migrations', '20250101000000_notes.sql'),
      `create table public.notes (id int primary key, body text not null);
       insert into public.notes values (1, 'a');
       grant select on public.notes to anon;`,
    );
  });
  after(() => {
    receiver?.server.close();
    rmSync(project, { recursive: true, force: true });
  });

  describe('by default', () => {
    let server: Awaited<ReturnType<typeof startTraced>>;
    const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
    const CALLER_SPAN = '00f067aa0ba902b7';
    const UNSAMPLED_TRACE = '5bf92f3577b34da6a3ce929d0e0e4737';
    let restAnswer: Response;
    let authAnswer: Response;
    let spans: OtlpSpan[] = [];
    let exported = 0;

    before(async () => {
      exported = receiver.exports.length;
      server = await startTraced(receiver, project, {});
      const { gw } = server;
      const anon = { apikey: gw.keys.anon };
      restAnswer = await fetch(`${gw.url}/rest/v1/notes?select=id,body`, { headers: { ...anon, traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` } });
      assert.equal(restAnswer.status, 200);
      await restAnswer.text();
      authAnswer = await fetch(`${gw.url}/auth/v1/token?grant_type=password`, {
        method: 'POST',
        headers: { ...anon, 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'nobody@example.com', password: 'wrong-password' }),
      });
      assert.equal(authAnswer.status, 400);
      await authAnswer.text();
      const unsampled = await fetch(`${gw.url}/rest/v1/notes`, { headers: { ...anon, traceparent: `00-${UNSAMPLED_TRACE}-${CALLER_SPAN}-00` } });
      assert.equal(unsampled.headers.get('traceresponse'), null, 'a request not sampled is not traced');
      await unsampled.text();
      // Closing sends what is still batched.
      await gw.close();
      spans = spansOf(receiver.exports.slice(exported));
    });
    after(async () => {
      await server?.gw.close();
      await server?.database.dispose();
    });

    it("puts the request's server span in the caller's trace, under the caller's span", () => {
      const span = spans.find((s) => s.traceId === CALLER_TRACE && s.kind === SPAN_KIND_SERVER);
      assert.ok(span, `no server span in the caller's trace; spans: ${spans.map((s) => s.name).join(', ')}`);
      assert.equal(span.parentSpanId, CALLER_SPAN);
      assert.equal(span.name, 'GET /rest/v1/*');
      assert.equal(attr(span, 'http.request.method'), 'GET');
      assert.equal(attr(span, 'http.response.status_code'), 200);
      assert.equal(attr(span, 'http.route'), '/rest/v1/*');
      assert.equal(attr(span, 'url.path'), '/rest/v1/notes');
      assert.equal(attr(span, 'groundwork.route_family'), 'rest');
      assert.equal(restAnswer.headers.get('traceresponse'), `00-${CALLER_TRACE}-${span.spanId}-01`);
    });

    it('has a database span below it, with the statement', () => {
      const span = spans.find((s) => s.traceId === CALLER_TRACE && s.kind === SPAN_KIND_SERVER);
      const db = spans.filter((s) => s.parentSpanId === span?.spanId);
      assert.equal(db.length, 1, `children: ${db.map((s) => s.name).join(', ')}`);
      assert.equal(db[0]?.kind, SPAN_KIND_CLIENT);
      assert.equal(db[0]?.traceId, CALLER_TRACE);
      assert.equal(attr(db[0], 'db.system.name'), 'postgresql');
      assert.equal(attr(db[0], 'groundwork.db.connection'), 'api');
      assert.equal(attr(db[0], 'groundwork.db.role'), 'anon');
      assert.match(String(attr(db[0], 'db.query.text')), /"public"\."notes"/);
    });

    it('starts a trace for a request without traceparent', () => {
      const traceId = traceIdOf(authAnswer);
      assert.ok(traceId !== undefined && traceId !== CALLER_TRACE);
      const span = spans.find((s) => s.traceId === traceId && s.kind === SPAN_KIND_SERVER);
      assert.equal(span?.parentSpanId ?? '', '');
      assert.equal(span?.name, 'POST /auth/v1/token');
      assert.equal(attr(span, 'http.response.status_code'), 400);
    });

    it('records nothing for a trace its caller did not sample', () => {
      assert.deepEqual(spans.filter((s) => s.traceId === UNSAMPLED_TRACE), []);
    });

    it('reports the service name and sends the export headers', () => {
      const resource = receiver.exports[exported]?.resourceSpans[0]?.resource.attributes.find((a) => a.key === 'service.name');
      assert.equal(resource?.value.stringValue, 'groundwork-test');
      assert.equal(receiver.headers[exported]?.['x-collector-key'], 'k 1');
      assert.match(String(receiver.headers[exported]?.['content-type']), /application\/json/);
    });

    it("writes the trace id on the request's log line", () => {
      const line = server.lines.find((l) => typeof l['msg'] === 'string' && (l['msg'] as string).startsWith('GET /rest/v1/notes?select=id,body 200'));
      assert.ok(line, 'no log line for the request');
      assert.equal(line['traceId'], CALLER_TRACE);
      const untraced = server.lines.find((l) => l['msg'] === 'listening');
      assert.ok(untraced, 'a line written outside any request');
      assert.equal(untraced['traceId'], undefined);
    });
  });

  describe('with the async context', () => {
    let server: Awaited<ReturnType<typeof startTraced>>;
    let signIn: Response;
    let signUp: Response;
    let spans: OtlpSpan[] = [];

    before(async () => {
      const exported = receiver.exports.length;
      server = await startTraced(receiver, project, { GROUNDWORK_TRACE_ASYNC_CONTEXT: 'true', GROUNDWORK_AUTH_AUTOCONFIRM: 'false' });
      const { gw } = server;
      const json = { apikey: gw.keys.anon, 'content-type': 'application/json' };
      signIn = await fetch(`${gw.url}/auth/v1/token?grant_type=password`, { method: 'POST', headers: json, body: JSON.stringify({ email: 'nobody@example.com', password: 'wrong-password' }) });
      assert.equal(signIn.status, 400);
      await signIn.text();
      // Without autoconfirm, a sign-up queues a confirmation email: a line the flow logs.
      signUp = await fetch(`${gw.url}/auth/v1/signup`, { method: 'POST', headers: json, body: JSON.stringify({ email: 'new@example.com', password: 'a-long-password-1' }) });
      assert.equal(signUp.status, 200);
      await signUp.text();
      await gw.close();
      spans = spansOf(receiver.exports.slice(exported));
    });
    after(async () => {
      await server?.gw.close();
      await server?.database.dispose();
    });

    it("gives an Auth call's transaction its statements as children", () => {
      const traceId = traceIdOf(signIn);
      const inTrace = spans.filter((s) => s.traceId === traceId);
      const span = inTrace.find((s) => s.kind === SPAN_KIND_SERVER);
      const tx = inTrace.find((s) => s.name === 'transaction' && s.parentSpanId === span?.spanId);
      assert.ok(tx, `no transaction; spans: ${inTrace.map((s) => s.name).join(', ')}`);
      assert.equal(attr(tx, 'groundwork.db.connection'), 'auth');
      const statements = inTrace.filter((s) => s.parentSpanId === tx.spanId);
      assert.ok(statements.length >= 1);
      assert.ok(statements.every((s) => typeof attr(s, 'db.query.text') === 'string'));
    });

    it('writes the trace id on every line the request logs', () => {
      const mail = server.lines.find((l) => l['msg'] === 'mail' && l['to'] === 'new@example.com');
      assert.ok(mail, `no mail line; lines: ${server.lines.map((l) => String(l['msg'])).join(' | ')}`);
      assert.equal(mail['traceId'], traceIdOf(signUp));
    });
  });
});
