import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addressAllowed, hostAllowed, parseAllowList, type AllowList } from './allow-list.ts';

const parse = (text: string): AllowList => {
  const list = parseAllowList(text);
  if ('error' in list) throw new Error(list.error);
  return list;
};

describe('outbound allow-list', () => {
  it('refuses entries it cannot read', () => {
    assert.deepEqual(parseAllowList('*, http://x'), { error: 'has an entry that is not *, a host name or an address range: http://x' });
    assert.ok('error' in parseAllowList('10.0.0.0/99'));
  });

  const addresses: ReadonlyArray<readonly [string, string, boolean]> = [
    ['*', '93.184.216.34', true],
    ['*', '127.0.0.1', false],
    ['*', '10.1.2.3', false],
    ['*', '192.168.0.10', false],
    ['*', '169.254.169.254', false],
    ['*', '::1', false],
    ['*', 'fd00::1', false],
    ['*', '::ffff:127.0.0.1', false],
    ['*', '0.0.0.0', false],
    ['*', '2606:4700::1111', true],
    ['127.0.0.1', '127.0.0.1', true],
    ['127.0.0.0/8', '127.0.0.2', true],
    ['127.0.0.0/8', '::ffff:127.0.0.2', true],
    ['10.0.0.0/8', '93.184.216.34', false],
    ['::1', '::1', true],
    ['', '93.184.216.34', false],
  ];
  for (const [list, address, allowed] of addresses) {
    it(`${JSON.stringify(list)} ${allowed ? 'allows' : 'refuses'} ${address}`, () => assert.equal(addressAllowed(parse(list), address), allowed));
  }

  it('matches host names exactly or by subdomain', () => {
    const list = parse('hooks.example.com, *.internal.test');
    assert.equal(hostAllowed(list, 'hooks.example.com'), true);
    assert.equal(hostAllowed(list, 'HOOKS.example.com.'), true);
    assert.equal(hostAllowed(list, 'evil-hooks.example.com'), false);
    assert.equal(hostAllowed(list, 'a.internal.test'), true);
    assert.equal(hostAllowed(list, 'internal.test'), false);
  });
});
