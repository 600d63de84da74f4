import { it } from 'node:test';
import assert from 'node:assert/strict';
import { AbortedWhileWaiting, Mutex } from './mutex.ts';

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

it('lets a waiting caller give up its place; the others keep their order', async () => {
  const m = new Mutex();
  const log: string[] = [];
  let release = () => undefined as void;
  const first = m.run(() => new Promise<void>((r) => (release = () => r())).then(() => void log.push('a')));
  const gone = new AbortController();
  const second = m.run(async () => void log.push('b'), gone.signal);
  const third = m.run(async () => void log.push('c'));
  assert.equal(m.waiting, 2);
  gone.abort();
  assert.equal(m.waiting, 1);
  await assert.rejects(second, AbortedWhileWaiting);
  release();
  await Promise.all([first, third]);
  assert.deepEqual(log, ['a', 'c']);
});

it('refuses a caller whose signal already fired, and tells how long the holder has held it', async () => {
  const m = new Mutex();
  await assert.rejects(m.run(async () => 1, AbortSignal.abort()), AbortedWhileWaiting);
  assert.equal(m.heldSince, undefined);
  const held = m.run(() => new Promise((r) => setTimeout(r, 30)));
  assert.ok(m.heldSince !== undefined && m.heldSince <= performance.now());
  await held;
  assert.equal(m.heldSince, undefined);
});
