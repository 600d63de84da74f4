import { it } from 'node:test';
import assert from 'node:assert/strict';
import { PoolMeter } from './pool-meter.ts';

it('counts waiting until the work holds a connection, busy until it settles', async () => {
  const meter = new PoolMeter(2);
  let acquire = () => undefined as void;
  let finish = () => undefined as void;
  const done = meter.measure(
    (acquired) =>
      new Promise<string>((resolve) => {
        acquire = acquired;
        finish = () => resolve('ok');
      }),
  );
  assert.deepEqual({ ...meter.stats(), waitedMs: 0 }, { max: 2, busy: 0, waiting: 1, acquired: 0, waitedMs: 0 });
  await new Promise((r) => setTimeout(r, 5));
  acquire();
  acquire(); // a second call (a retried pipeline) changes nothing
  const held = meter.stats();
  assert.deepEqual({ busy: held.busy, waiting: held.waiting, acquired: held.acquired }, { busy: 1, waiting: 0, acquired: 1 });
  assert.ok(held.waitedMs >= 4, `waited ${held.waitedMs} ms`);
  finish();
  assert.equal(await done, 'ok');
  assert.deepEqual({ ...meter.stats(), waitedMs: 0 }, { max: 2, busy: 0, waiting: 0, acquired: 1, waitedMs: 0 });
});

it('work that fails before holding a connection only waited', async () => {
  const meter = new PoolMeter(1);
  await assert.rejects(meter.measure(async () => Promise.reject(new Error('refused'))), /refused/);
  assert.deepEqual(meter.stats(), { max: 1, busy: 0, waiting: 0, acquired: 0, waitedMs: 0 });
});

it('busy work is counted while it runs, at most the pool size', async () => {
  const meter = new PoolMeter(1);
  let release = () => undefined as void;
  const gate = new Promise<void>((r) => (release = r));
  const a = meter.busy(() => gate);
  const b = meter.busy(() => gate);
  assert.equal(meter.stats().busy, 1);
  release();
  await Promise.all([a, b]);
  assert.equal(meter.stats().busy, 0);
});
