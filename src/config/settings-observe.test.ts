// Metrics and tracing settings: defaults (metrics on, tracing off), the traces URL built from
// OpenTelemetry's endpoint variable, the headers' format, and secrets kept out of messages.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, resolveConfig } from './load.ts';
import { parseOtlpHeaders } from './settings-observe.ts';

const config = (env: Record<string, string>) => resolveConfig({ flags: {}, env, cwd: '/p', readFile: () => undefined });

describe('observe settings', () => {
  it('serves metrics without a token and traces nothing by default', () => {
    assert.deepEqual(config({}).observe, { metrics: { enabled: true, token: undefined }, tracing: undefined });
  });

  it('turns metrics off and takes a token', () => {
    assert.deepEqual(config({ GROUNDWORK_METRICS: 'off', GROUNDWORK_METRICS_TOKEN: 'a-scrape-token-of-16+' }).observe.metrics, { enabled: false, token: 'a-scrape-token-of-16+' });
  });

  it('refuses a short token without echoing it', () => {
    assert.throws(
      () => config({ GROUNDWORK_METRICS_TOKEN: 'short' }),
      (e: unknown) => e instanceof ConfigError && e.variable === 'GROUNDWORK_METRICS_TOKEN' && !e.message.includes('short"'),
    );
  });

  const endpoints: ReadonlyArray<readonly [string, string]> = [
    ['http://localhost:4318', 'http://localhost:4318/v1/traces'],
    ['http://localhost:4318/', 'http://localhost:4318/v1/traces'],
    ['https://collector.example.com/otlp', 'https://collector.example.com/otlp/v1/traces'],
  ];
  for (const [endpoint, url] of endpoints) {
    it(`traces to ${url} from ${endpoint}`, () => {
      assert.deepEqual(config({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }).observe.tracing, { tracesUrl: url, serviceName: 'groundwork', headers: {}, sampleRatio: 1, asyncContext: false });
    });
  }

  it('names the service and sends headers', () => {
    const c = config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SERVICE_NAME: 'api-eu', OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc%20d,Team=core' });
    assert.deepEqual(c.observe.tracing, { tracesUrl: 'http://c:4318/v1/traces', serviceName: 'api-eu', headers: { 'x-api-key': 'abc d', team: 'core' }, sampleRatio: 1, asyncContext: false });
  });

  it('traces every request embedded and a tenth on a server, unless told', () => {
    assert.equal(config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }).observe.tracing?.sampleRatio, 1);
    assert.equal(config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', DATABASE_URL: 'postgres://u@h/db', JWT_SECRET: 'x'.repeat(32) }).observe.tracing?.sampleRatio, 0.1);
    assert.equal(config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', DATABASE_URL: 'postgres://u@h/db', JWT_SECRET: 'x'.repeat(32), GROUNDWORK_TRACE_SAMPLE_RATIO: '1' }).observe.tracing?.sampleRatio, 1);
  });

  it('takes a sampling share and the async context', () => {
    const c = config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', GROUNDWORK_TRACE_SAMPLE_RATIO: '0.25', GROUNDWORK_TRACE_ASYNC_CONTEXT: 'on' });
    assert.equal(c.observe.tracing?.sampleRatio, 0.25);
    assert.equal(c.observe.tracing?.asyncContext, true);
    for (const bad of ['1.5', '-0.1', 'half', '2']) {
      assert.throws(() => config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', GROUNDWORK_TRACE_SAMPLE_RATIO: bad }), (e: unknown) => e instanceof ConfigError && e.variable === 'GROUNDWORK_TRACE_SAMPLE_RATIO', bad);
    }
  });

  it('refuses an endpoint that is not http(s)', () => {
    assert.throws(() => config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://c:4317' }), (e: unknown) => e instanceof ConfigError && e.variable === 'OTEL_EXPORTER_OTLP_ENDPOINT');
  });

  const headers: ReadonlyArray<readonly [string, Record<string, string> | undefined]> = [
    ['a=1', { a: '1' }],
    [' a = 1 , b=2,', { a: '1', b: '2' }],
    ['a=x=y', { a: 'x=y' }],
    ['', {}],
    ['a', undefined],
    ['bad name=1', undefined],
    ['a=%zz', undefined],
  ];
  for (const [text, parsed] of headers) {
    it(`headers ${JSON.stringify(text)}`, () => {
      const r = parseOtlpHeaders(text);
      assert.deepEqual(r.ok ? r.headers : undefined, parsed);
    });
  }
});
