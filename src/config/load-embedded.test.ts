// The embedded database's size and template cache: small by default, the cache under the
// XDG cache directory (else ~/.cache), none without a home or when turned off.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, resolveConfig } from './load.ts';

const config = (env: Record<string, string>, flags: Record<string, string> = {}) => resolveConfig({ flags, env, cwd: '/p', readFile: () => undefined });

it('gives the embedded database 16MB of shared buffers unless told otherwise', () => {
  assert.equal(config({}).embedded.sharedBuffers, '16MB');
  assert.equal(config({ GROUNDWORK_EMBEDDED_SHARED_BUFFERS: '128MB' }).embedded.sharedBuffers, '128MB');
  assert.equal(config({}, { 'embedded-shared-buffers': '512kB' }).embedded.sharedBuffers, '512kB');
});

it('refuses a shared buffers size PostgreSQL would not take', () => {
  for (const value of ['16', '16mb', '16 MB', '64kB', '-1MB']) {
    assert.throws(() => config({ GROUNDWORK_EMBEDDED_SHARED_BUFFERS: value }), (e: unknown) => e instanceof ConfigError && e.variable === 'GROUNDWORK_EMBEDDED_SHARED_BUFFERS', value);
  }
});

it('keeps the template under XDG_CACHE_HOME, else ~/.cache, else nowhere', () => {
  assert.equal(config({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' }).embedded.cacheDir, '/x/cache/groundwork');
  assert.equal(config({ XDG_CACHE_HOME: 'relative', HOME: '/home/u' }).embedded.cacheDir, '/home/u/.cache/groundwork');
  assert.equal(config({ HOME: '/home/u' }).embedded.cacheDir, '/home/u/.cache/groundwork');
  assert.equal(config({}).embedded.cacheDir, undefined);
});

it('takes the cache directory from its setting (relative to the working directory), or keeps none with off', () => {
  assert.equal(config({ GROUNDWORK_CACHE_DIR: 'c', HOME: '/home/u' }).embedded.cacheDir, '/p/c');
  assert.equal(config({ HOME: '/home/u' }, { 'cache-dir': 'OFF' }).embedded.cacheDir, undefined);
});
