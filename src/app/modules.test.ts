import { it } from 'node:test';
import assert from 'node:assert/strict';
import { modules } from './modules.ts';

it('names each module once and gives each an error catalogue', () => {
  assert.deepEqual(modules.map((m) => m.name), ['logs', 'observe', 'rest', 'auth', 'realtime', 'jobs', 'functions', 'docs', 'mcp']);
  for (const m of modules) assert.ok(Object.keys(m.errors).length > 0, `${m.name} has errors`);
});
