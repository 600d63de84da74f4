// The embedded database's PostgreSQL port: on by default on loopback, off or moved by a
// setting, and refused in server mode, where clients connect to the server itself.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, resolveConfig } from './load.ts';

const config = (env: Record<string, string>, flags: Record<string, string> = {}) => resolveConfig({ flags, env, cwd: '/p', readFile: () => undefined });
const SERVER = { DATABASE_URL: 'postgres://u:p@db.example/app', JWT_SECRET: 'x'.repeat(32) };

it('serves 54322 on loopback by default, with a 10 s idle-in-transaction timeout', () => {
  assert.deepEqual(config({}).dbPort, { host: '127.0.0.1', port: 54322, idleInTransactionTimeoutMs: 10_000 });
});

it('is moved, given a free port or turned off by its setting or flag', () => {
  assert.deepEqual(config({ GROUNDWORK_DB_PORT: '6000', GROUNDWORK_DB_HOST: '0.0.0.0', GROUNDWORK_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '0' }).dbPort, { host: '0.0.0.0', port: 6000, idleInTransactionTimeoutMs: 0 });
  assert.equal(config({ GROUNDWORK_DB_PORT: '0' }).dbPort?.port, 0);
  assert.equal(config({}, { 'db-port': 'off' }).dbPort, undefined);
  assert.equal(config({ GROUNDWORK_DB_PORT: ' OFF ' }).dbPort, undefined);
});

it('refuses what is neither a port nor off', () => {
  for (const value of ['abc', '70000', '-1']) {
    assert.throws(() => config({ GROUNDWORK_DB_PORT: value }), (e: unknown) => e instanceof ConfigError && e.variable === 'GROUNDWORK_DB_PORT' && /port number \(0 picks a free port\) or off/.test(e.problem), value);
  }
});

it('has no port in server mode, and says so when one is asked for', () => {
  assert.equal(config(SERVER).dbPort, undefined);
  assert.equal(config({ ...SERVER, GROUNDWORK_DB_PORT: 'off' }).dbPort, undefined);
  assert.throws(() => config({ ...SERVER, GROUNDWORK_DB_PORT: '54322' }), (e: unknown) => e instanceof ConfigError && e.variable === 'GROUNDWORK_DB_PORT' && /only served by the embedded database/.test(e.problem));
});
