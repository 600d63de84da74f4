import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromFunction, toFunction } from './headers.ts';

test('toFunction passes the caller’s headers, less hop-by-hop ones, with X-Forwarded-* and the request id', () => {
  const got = toFunction(
    { host: 'api.local', authorization: 'Bearer t', apikey: 'k', connection: 'keep-alive', 'transfer-encoding': 'chunked', 'x-region': 'eu-west-1', 'x-request-id': 'theirs' },
    { ip: '10.0.0.9', host: 'api.local', requestId: 'r1' },
  );
  assert.deepEqual(got, {
    host: 'api.local',
    authorization: 'Bearer t',
    apikey: 'k',
    'x-region': 'eu-west-1',
    'x-request-id': 'r1',
    'x-forwarded-for': '10.0.0.9',
    'x-forwarded-proto': 'http',
    'x-forwarded-host': 'api.local',
  });
  assert.equal(toFunction({ 'x-forwarded-for': '1.2.3.4', 'x-forwarded-proto': 'https' }, { ip: '10.0.0.9', host: undefined, requestId: 'r' })['x-forwarded-for'], '1.2.3.4, 10.0.0.9');
  assert.equal(toFunction({ 'x-forwarded-proto': 'https' }, { ip: '10.0.0.9', host: undefined, requestId: 'r' })['x-forwarded-proto'], 'https');
});

test('fromFunction keeps the function’s headers (cookies, CORS, custom) and drops per-connection ones', () => {
  assert.deepEqual(fromFunction({ 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'], 'access-control-allow-origin': '*', connection: 'close', 'keep-alive': 'timeout=5', 'transfer-encoding': 'chunked', date: 'x', 'x-custom': 'y' }), {
    'content-type': 'application/json',
    'set-cookie': ['a=1', 'b=2'],
    'access-control-allow-origin': '*',
    'x-custom': 'y',
  });
});
