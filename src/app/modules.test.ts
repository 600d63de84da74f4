import { it } from 'node:test';
import assert from 'node:assert/strict';
import { modules } from './modules.ts';

it('names each module once and gives each an error catalogue', () => {
  assert.deepEqual(modules.map((m) => m.name), ['rest', 'auth', 'realtime', 'jobs', 'functions']);
  for (const m of modules) assert.ok(Object.keys(m.errors).length > 0, `${m.name} has errors`);
});
