import { it } from 'node:test';
import assert from 'node:assert/strict';
import { compile } from '../../../lib/sql.ts';
import { apply, reportedFrom, snapshotFrom } from './session-state.ts';

it('reads a snapshot row and refuses anything else', () => {
  const row = { settings: [['search_path', 'app']], role: 'anon', sa: 'postgres', channels: ['pgrst'] };
  assert.deepEqual(snapshotFrom(row), { settings: [['search_path', 'app']], role: 'anon', authorization: 'postgres', channels: ['pgrst'] });
  assert.throws(() => snapshotFrom({ ...row, settings: [['x']] }));
  assert.throws(() => snapshotFrom(undefined));
});

it('applies settings, then the session user, then the role, all as parameters', () => {
  const { text, values } = compile(apply({ settings: [['search_path', 'app']], role: 'anon', authorization: 'postgres' }));
  assert.equal(text, "select pg_catalog.set_config($1, $2, false), pg_catalog.set_config('session_authorization', $3, false), pg_catalog.set_config('role', $4, false)");
  assert.deepEqual(values, ['search_path', 'app', 'postgres', 'anon']);
  assert.doesNotMatch(compile(apply({ settings: [], role: 'none', authorization: '' })).text, /session_authorization/);
});

it('keeps the reported settings PostgreSQL has', () => {
  assert.deepEqual(reportedFrom({ reported: { TimeZone: 'UTC', in_hot_standby: null } }), [['TimeZone', 'UTC']]);
});
