import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { AlwaysOnSampler, BasicTracerProvider, InMemorySpanExporter, ParentBasedSampler, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { requestTracing, startAttributes, traceParentOf } from './http.ts';

it("keeps the query out of a request span's attributes", () => {
  const attributes = startAttributes({ method: 'GET', url: '/realtime/v1/websocket?apikey=secret' }, '127.0.0.1');
  assert.deepEqual(attributes, {
    'http.request.method': 'GET',
    'url.path': '/realtime/v1/websocket',
    'url.scheme': 'http',
    'groundwork.route_family': 'realtime',
    'client.address': '127.0.0.1',
  });
});

it('names an unusual method _OTHER and keeps the original', () => {
  const attributes = startAttributes({ method: 'PROPFIND', url: '/' }, undefined);
  assert.equal(attributes['http.request.method'], '_OTHER');
  assert.equal(attributes['http.request.method_original'], 'PROPFIND');
  assert.equal(attributes['groundwork.route_family'], 'other');
});

it('writes traceparent and traceresponse with the sampled flag', () => {
  const span = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 });
  assert.equal(traceParentOf(span), '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
  const unsampled = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 0 });
  assert.equal(traceParentOf(unsampled), '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00');
});

describe('request spans', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }), spanProcessors: [new SimpleSpanProcessor(exporter)] });
  after(() => provider.shutdown());

  /** A server whose handler answers what tracing says, as the HTTP core does. */
  async function serve(sampleRatio: number) {
    const tracing = requestTracing(provider.getTracer('t'), { asyncContext: false, sampleRatio });
    const server = createServer((req, res) => {
      const header = tracing.traceResponse(req);
      if (header !== undefined) res.setHeader('traceresponse', header);
      res.setHeader('x-seen-traceparent', String(req.headers.traceparent));
      res.end();
      tracing.finish(req, { status: 200, route: '/x/*', requestId: 'r' });
    });
    tracing.instrument(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { url, close: () => new Promise((r) => server.close(r)) };
  }

  it('records a span per request and hands its traceparent on', async () => {
    exporter.reset();
    const s = await serve(1);
    const res = await fetch(`${s.url}/x/1?secret=1`);
    await s.close();
    const [span] = exporter.getFinishedSpans();
    assert.equal(span?.name, 'GET /x/*');
    assert.equal(span?.attributes['url.path'], '/x/1');
    const expected = `00-${span?.spanContext().traceId}-${span?.spanContext().spanId}-01`;
    assert.equal(res.headers.get('traceresponse'), expected);
    assert.equal(res.headers.get('x-seen-traceparent'), expected);
  });

  it('continues a caller’s trace, and honours its decision not to sample', async () => {
    exporter.reset();
    const s = await serve(0);
    const sampled = await fetch(`${s.url}/a`, { headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } });
    const unsampled = await fetch(`${s.url}/b`, { headers: { traceparent: '00-1af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00' } });
    await s.close();
    const spans = exporter.getFinishedSpans();
    assert.equal(spans.length, 1);
    assert.equal(spans[0]?.parentSpanContext?.spanId, 'b7ad6b7169203331');
    assert.match(sampled.headers.get('traceresponse') ?? '', /^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    // Not sampled: not traced at all, and what it passes on is what it was given.
    assert.equal(unsampled.headers.get('traceresponse'), null);
    assert.equal(unsampled.headers.get('x-seen-traceparent'), '00-1af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00');
  });

  it('samples the configured share of requests that bring no traceparent', async () => {
    exporter.reset();
    const none = await serve(0);
    const res = await fetch(`${none.url}/c`);
    await none.close();
    assert.deepEqual(exporter.getFinishedSpans(), []);
    assert.equal(res.headers.get('traceresponse'), null);
    assert.equal(res.headers.get('x-seen-traceparent'), 'undefined');
    const some = await serve(0.5);
    for (let i = 0; i < 200; i++) await (await fetch(`${some.url}/d`)).text();
    await some.close();
    const traced = exporter.getFinishedSpans().length;
    assert.ok(traced > 60 && traced < 140, `${traced} of 200 traced at one half`);
  });
});
