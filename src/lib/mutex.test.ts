import { it } from 'node:test';
import assert from 'node:assert/strict';
import { Mutex } from './mutex.ts';

it('runs callers one at a time, in order, past failures', async () => {
  const m = new Mutex();
  const log: string[] = [];
  const step = (name: string, ms: number, fail = false) =>
    m.run(async () => {
      log.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`end ${name}`);
      if (fail) throw new Error(name);
      return name;
    });
  const results = await Promise.allSettled([step('a', 20), step('b', 1, true), step('c', 5)]);
  assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
});
