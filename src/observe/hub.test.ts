import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Observation } from './events.ts';
import { observationHub } from './hub.ts';

const event: Observation = { type: 'db-notice', message: 'hello' };

it('hands each event to the first observer, then to each sink in order', () => {
  const seen: string[] = [];
  const hub = observationHub(() => seen.push('log'));
  hub.subscribe(() => seen.push('a'));
  hub.subscribe(() => seen.push('b'));
  hub.observe(event);
  assert.deepEqual(seen, ['log', 'a', 'b']);
});

it('keeps going past a sink that throws, and stops a sink once it unsubscribes', () => {
  const seen: string[] = [];
  const hub = observationHub(() => undefined);
  hub.subscribe(() => {
    throw new Error('broken sink');
  });
  const off = hub.subscribe(() => seen.push('b'));
  hub.observe(event);
  off();
  hub.observe(event);
  assert.deepEqual(seen, ['b']);
});
