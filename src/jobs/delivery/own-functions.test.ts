import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ownFunctions } from './own-functions.ts';

test("ownFunctions: this server's /functions/v1/ paths, on its own origin (any loopback name), and nothing else", () => {
  const own = ownFunctions('http://127.0.0.1:54321');
  const cases: ReadonlyArray<[string, boolean]> = [
    ['http://127.0.0.1:54321/functions/v1/notify', true],
    ['http://localhost:54321/functions/v1/notify/sub?x=1', true],
    ['http://[::1]:54321/functions/v1/notify', true],
    ['http://127.0.0.1:54321/rest/v1/posts', false],
    ['http://127.0.0.1:54321/functions/v1', false],
    ['http://127.0.0.1:54322/functions/v1/notify', false],
    ['https://127.0.0.1:54321/functions/v1/notify', false],
    ['http://10.0.0.5:54321/functions/v1/notify', false],
    ['http://example.com:54321/functions/v1/notify', false],
  ];
  for (const [url, expected] of cases) assert.equal(own(new URL(url)), expected, url);
  const named = ownFunctions('http://api.internal:8080');
  assert.equal(named(new URL('http://api.internal:8080/functions/v1/x')), true);
  assert.equal(named(new URL('http://localhost:8080/functions/v1/x')), false);
});
