import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JobCells } from './job-cells.ts';

describe('job cells', () => {
  // Each case moves cell 0 as the two threads would, in the order given.
  const cases: ReadonlyArray<[string, (c: JobCells) => unknown[], unknown[]]> = [
    ['a queued request cancelled first is skipped by the worker', (c) => (c.queue(0), [c.cancel(0), c.start(0)]), ['unstarted', false]],
    ['a started request is stopped by a restart, then may not commit', (c) => (c.queue(0), [c.start(0), c.cancel(0), c.commit(0)]), [true, 'running', false]],
    ['a committing request declines a restart', (c) => (c.queue(0), [c.start(0), c.commit(0), c.cancel(0)]), [true, true, 'finishing']],
    ['a request done declines a restart', (c) => (c.queue(0), c.start(0), c.done(0), [c.cancel(0)]), ['finishing']],
    ['a committed request is done', (c) => (c.queue(0), c.start(0), c.commit(0), c.done(0), [c.cancel(0)]), ['finishing']],
    ['a second cancel of a running request still says running', (c) => (c.queue(0), c.start(0), [c.cancel(0), c.cancel(0)]), ['running', 'running']],
    ['a freed cell cannot be started', (c) => (c.queue(0), c.free(0), [c.start(0)]), [false]],
    ['done leaves a cancelled request cancelled', (c) => (c.queue(0), c.start(0), c.cancel(0), c.done(0), [c.commit(0), c.cancel(0)]), [false, 'running']],
  ];
  for (const [name, run, expected] of cases) {
    it(name, () => assert.deepEqual(run(JobCells.create(2)), expected));
  }

  it('keeps each request in its own cell', () => {
    const cells = JobCells.create(2);
    cells.queue(0);
    cells.queue(1);
    assert.equal(cells.start(0), true);
    assert.equal(cells.cancel(1), 'unstarted');
    assert.equal(cells.commit(0), true);
  });

  it('shares its state through the buffer, as between threads', () => {
    const main = JobCells.create(1);
    const worker = new JobCells(main.buffer);
    main.queue(0);
    assert.equal(worker.start(0), true);
    assert.equal(worker.commit(0), true);
    assert.equal(main.cancel(0), 'finishing');
  });
});
