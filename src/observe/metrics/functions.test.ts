import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { functionName, Invocations } from './functions.ts';

describe('function invocations', () => {
  const names: ReadonlyArray<readonly [string, string | undefined]> = [
    ['/functions/v1/hello', 'hello'],
    ['/functions/v1/hello/', 'hello'],
    ['/functions/v1/hello/a/b?x=1', 'hello'],
    ['/functions/v1/hello?x=1', 'hello'],
    ['/functions/v1/', undefined],
    ['/functions/v1', undefined],
    ['/functions/v1/?x', undefined],
    ['/rest/v1/hello', undefined],
  ];
  for (const [url, name] of names) it(`${url} calls ${String(name)}`, () => assert.equal(functionName(url), name));

  it('takes a failure reported for the request, once', () => {
    const inv = new Invocations();
    inv.failed('r1', 'f', 'BOOT_ERROR');
    assert.deepEqual(inv.ofRequest('r1', '/functions/v1/f', 503), { name: 'f', outcome: 'boot_error' });
    assert.deepEqual(inv.ofRequest('r1', '/functions/v1/f', 503), { name: 'f', outcome: 'error' });
  });

  it('counts nothing for a name no worker started', () => {
    const inv = new Invocations();
    assert.equal(inv.ofRequest('r1', '/functions/v1/nope', 404), undefined);
    inv.know('nope');
    assert.deepEqual(inv.ofRequest('r2', '/functions/v1/nope', 201), { name: 'nope', outcome: 'success' });
  });

  it('remembers a bounded number of names', () => {
    const inv = new Invocations();
    for (let i = 0; i < 600; i++) inv.know(`f${i}`);
    assert.notEqual(inv.ofRequest('a', '/functions/v1/f499', 200), undefined);
    assert.equal(inv.ofRequest('b', '/functions/v1/f500', 200), undefined);
  });
});
