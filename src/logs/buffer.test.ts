// The buffer between flushes: bounded, oldest dropped and counted, failed batches put back.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedQueue } from './buffer.ts';

function filled(capacity: number, items: readonly number[]): BoundedQueue<number> {
  const q = new BoundedQueue<number>(capacity);
  for (const i of items) q.push(i);
  return q;
}

it('takes entries oldest first, in batches', () => {
  const q = filled(5, [1, 2, 3, 4]);
  assert.deepEqual(q.take(3), [1, 2, 3]);
  assert.deepEqual(q.take(3), [4]);
  assert.deepEqual(q.take(3), []);
  assert.equal(q.size, 0);
});

it('drops the oldest past its capacity and counts them', () => {
  const q = filled(3, [1, 2, 3, 4, 5, 6, 7]);
  assert.equal(q.size, 3);
  assert.equal(q.dropped, 4);
  assert.deepEqual(q.take(10), [5, 6, 7]);
  assert.equal(q.takeDropped(), 4);
  assert.equal(q.dropped, 0);
});

it('puts a failed batch back in front of what arrived meanwhile', () => {
  const q = filled(5, [1, 2, 3]);
  const batch = q.take(2);
  q.push(4);
  q.putBack(batch);
  assert.deepEqual(q.take(10), [1, 2, 3, 4]);
  assert.equal(q.dropped, 0);
});

it('keeps the newest of a put-back batch when the buffer filled meanwhile', () => {
  const q = filled(4, [1, 2, 3, 4]);
  const batch = q.take(3); // [1, 2, 3]
  q.push(5);
  q.push(6); // [4, 5, 6]: room for one
  q.putBack(batch);
  assert.deepEqual(q.take(10), [3, 4, 5, 6]);
  assert.equal(q.dropped, 2);
});

it('wraps around its ring many times without losing order', () => {
  const q = new BoundedQueue<number>(7);
  const out: number[] = [];
  for (let i = 0; i < 100; i++) {
    q.push(i);
    if (i % 2 === 1) out.push(...q.take(2));
  }
  out.push(...q.take(100));
  assert.deepEqual(out, [...Array(100).keys()]);
});

it('refuses a capacity below one', () => {
  assert.throws(() => new BoundedQueue(0), RangeError);
});
