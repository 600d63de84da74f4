// The HTTP receive timeouts: defaults, overrides, and the headers bound within the whole
// request's (Node refuses a server configured the other way round).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, resolveConfig } from './load.ts';

const config = (env: Record<string, string>) => resolveConfig({ flags: {}, env, cwd: '/p', readFile: () => undefined });

it('defaults to 10 s for headers and 30 s for the whole request', () => {
  const c = config({});
  assert.deepEqual([c.headersTimeoutMs, c.requestTimeoutMs], [10_000, 30_000]);
});

it('reads both, 0 turning either off', () => {
  const c = config({ GROUNDWORK_HEADERS_TIMEOUT_MS: '500', GROUNDWORK_REQUEST_TIMEOUT_MS: '0' });
  assert.deepEqual([c.headersTimeoutMs, c.requestTimeoutMs], [500, 0]);
});

it('refuses a headers timeout longer than the request timeout', () => {
  assert.throws(() => config({ GROUNDWORK_HEADERS_TIMEOUT_MS: '40000' }), (e: unknown) => e instanceof ConfigError && e.variable === 'GROUNDWORK_HEADERS_TIMEOUT_MS' && /at most GROUNDWORK_REQUEST_TIMEOUT_MS \(30000\)/.test(e.problem));
});

it('refuses what is not a whole number of ms', () => {
  assert.throws(() => config({ GROUNDWORK_REQUEST_TIMEOUT_MS: '1.5s' }), (e: unknown) => e instanceof ConfigError && e.variable === 'GROUNDWORK_REQUEST_TIMEOUT_MS');
});
