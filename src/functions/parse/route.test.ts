import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../errors/api-error.ts';
import { parseRoute } from './route.ts';

const cases: ReadonlyArray<[method: string, url: string, expected: { name: string; path: string } | string]> = [
  ['POST', '/functions/v1/hello', { name: 'hello', path: '/hello' }],
  ['GET', '/functions/v1/hello-world/tasks/42', { name: 'hello-world', path: '/hello-world/tasks/42' }],
  ['GET', '/functions/v1/hello?x=1&y=2', { name: 'hello', path: '/hello?x=1&y=2' }],
  ['GET', '/functions/v1/hello/?x=1', { name: 'hello', path: '/hello/?x=1' }],
  ['DELETE', '/functions/v1/my_fn/a%20b', { name: 'my_fn', path: '/my_fn/a%20b' }],
  ['OPTIONS', '/functions/v1/hello', { name: 'hello', path: '/hello' }],
  ['POST', '/functions/v1', 'INVALID_URL'],
  ['POST', '/functions/v1/', 'INVALID_URL'],
  ['POST', '/functions/v1?x=1', 'INVALID_URL'],
  ['POST', '/functions/v1/_shared', 'INVALID_URL'],
  ['POST', '/functions/v1/.env', 'INVALID_URL'],
  ['POST', '/functions/v1/..', 'INVALID_URL'],
  ['POST', '/functions/v1/%2e%2e', 'INVALID_URL'],
  ['POST', '/functions/v1/a%2Fb', 'INVALID_URL'],
  ['POST', '/functions/v1/%E0%A4%A', 'INVALID_URL'],
  ['POST', `/functions/v1/${'a'.repeat(129)}`, 'INVALID_URL'],
  ['POST', '/functions/v1hello', 'NOT_FOUND'],
  ['TRACE', '/functions/v1/hello', 'METHOD_NOT_ALLOWED'],
  ['PROPFIND', '/functions/v1/hello', 'METHOD_NOT_ALLOWED'],
];

test('parseRoute: the name and the path the handler sees, or the gateway error', () => {
  for (const [method, url, expected] of cases) {
    const got = parseRoute(method, url);
    if (typeof expected === 'string') {
      assert.ok(got instanceof ApiError, `${method} ${url}`);
      assert.equal(got.code, expected, `${method} ${url}`);
      assert.equal(got.headers['sb-error-code'], expected);
    } else {
      assert.deepEqual(got, expected, `${method} ${url}`);
    }
  }
});
