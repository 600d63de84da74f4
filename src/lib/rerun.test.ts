import { it } from 'node:test';
import assert from 'node:assert/strict';
import { rerunnable } from './rerun.ts';

it('runs once at a time, once more for any wakes that came while it ran, never after stop', async () => {
  let runs = 0;
  let active = 0;
  let release: () => void = () => undefined;
  const task = rerunnable(async () => {
    runs++;
    active++;
    assert.equal(active, 1);
    await new Promise<void>((r) => (release = r));
    active--;
  });
  task.wake();
  task.wake();
  task.wake();
  assert.equal(runs, 1);
  release();
  await new Promise((r) => setImmediate(r));
  assert.equal(runs, 2, 'three wakes during the first run make one more');
  const stopped = task.stop();
  release();
  await stopped;
  task.wake();
  assert.equal(runs, 2);
});
