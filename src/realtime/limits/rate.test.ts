import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CallLimit, WindowRate } from './rate.ts';

describe('realtime rates', () => {
  it('averages events over 60 s, so a burst passes and a sustained rate does not', () => {
    let t = 0;
    const rate = new WindowRate(10, () => t);
    // 600 events in a burst average exactly 10/s over the window.
    assert.equal(rate.add(600), true);
    assert.equal(rate.add(1), false);
    t += 61_000;
    assert.equal(rate.average(), 0);
    assert.equal(rate.add(5), true);
  });

  it('forgets buckets as time passes', () => {
    let t = 0;
    const rate = new WindowRate(1, () => t);
    rate.add(60);
    t += 30_000;
    assert.equal(rate.average(), 1);
    rate.add(0);
    t += 31_000;
    assert.ok(rate.average() < 1);
  });

  it('allows a fixed number of calls per window', () => {
    let t = 0;
    const calls = new CallLimit(2, 1000, () => t);
    assert.equal(calls.take(), true);
    assert.equal(calls.take(), true);
    assert.equal(calls.take(), false);
    t = 1000;
    assert.equal(calls.take(), true);
  });
});
