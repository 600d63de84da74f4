import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DbUnavailableError } from '../errors.ts';
import { isConnectFailure, OutageGuard } from './outage.ts';

const coded = (code: string) => Object.assign(new Error(code), { code });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('isConnectFailure', () => {
  const cases: Array<[string, unknown, boolean]> = [
    ['refused', coded('ECONNREFUSED'), true],
    ['connect timeout', coded('CONNECT_TIMEOUT'), true],
    ['starting up', coded('57P03'), true],
    ['wrapped in DbUnavailableError', new DbUnavailableError('x', { cause: coded('ECONNREFUSED') }), true],
    ['an existing connection reset', coded('ECONNRESET'), false],
    ['terminated by an administrator', coded('57P01'), false],
    ['a statement error', coded('42P01'), false],
    ['not an error', 'ECONNREFUSED', false],
  ];
  for (const [name, e, expected] of cases) it(name, () => assert.equal(isConnectFailure(e), expected));
});

describe('OutageGuard', () => {
  it('passes work through while the database is up', async () => {
    const guard = new OutageGuard({ probe: async () => undefined, intervalMs: 10 });
    assert.equal(await guard.run(async () => 42), 42);
    assert.equal(guard.down, false);
  });

  it('fails fast after a refused connection until a probe succeeds', async () => {
    let reachable = false;
    const changes: boolean[] = [];
    let probes = 0;
    const guard = new OutageGuard({
      probe: async () => {
        probes++;
        if (!reachable) throw coded('ECONNREFUSED');
      },
      intervalMs: 10,
      onChange: (down) => changes.push(down),
    });
    await assert.rejects(guard.run(() => Promise.reject(coded('ECONNREFUSED'))));
    let ran = false;
    await assert.rejects(
      guard.run(async () => {
        ran = true;
      }),
      DbUnavailableError,
    );
    assert.equal(ran, false, 'work is not attempted while down');
    await sleep(50);
    assert.ok(probes >= 2, `probing meanwhile (${probes})`);
    reachable = true;
    await sleep(40);
    assert.equal(guard.down, false);
    assert.equal(await guard.run(async () => 'ok'), 'ok');
    assert.deepEqual(changes, [true, false]);
    guard.stop();
  });

  it('does not trip on a lost connection or a statement error', async () => {
    const guard = new OutageGuard({ probe: async () => undefined, intervalMs: 10 });
    await assert.rejects(guard.run(() => Promise.reject(coded('ECONNRESET'))));
    await assert.rejects(guard.run(() => Promise.reject(coded('23505'))));
    assert.equal(guard.down, false);
  });

  it('stops probing when stopped', async () => {
    let probes = 0;
    const guard = new OutageGuard({
      probe: async () => {
        probes++;
        throw coded('ECONNREFUSED');
      },
      intervalMs: 5,
    });
    guard.trip();
    await sleep(30);
    guard.stop();
    const seen = probes;
    await sleep(30);
    assert.equal(probes, seen);
  });
});
