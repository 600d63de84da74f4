import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CommitGate } from './commit-gate.ts';

describe('commit gate', () => {
  const cases: ReadonlyArray<[string, (g: CommitGate) => unknown[], unknown[]]> = [
    ['an idle gate lets a restart go ahead', (g) => [g.cancel()], [true]],
    ['an armed gate: the worker claims first, then a restart is declined', (g) => (g.arm(), [g.claim(), g.cancel()]), [true, false]],
    ['an armed gate: a restart cancels first, then the worker may not commit', (g) => (g.arm(), [g.cancel(), g.claim()]), [true, false]],
    ['a reset gate lets a restart go ahead again', (g) => (g.arm(), g.claim(), g.reset(), [g.cancel()]), [true]],
    ['an unarmed worker may not commit through the gate', (g) => [g.claim()], [false]],
  ];
  for (const [name, run, expected] of cases) {
    it(name, () => assert.deepEqual(run(new CommitGate()), expected));
  }

  it('shares its state through the buffer, as between threads', () => {
    const main = new CommitGate();
    const worker = new CommitGate(main.buffer);
    main.arm();
    assert.equal(worker.claim(), true);
    assert.equal(main.cancel(), false);
  });
});
