import { it } from 'node:test';
import assert from 'node:assert/strict';
import { cstring, int32 } from './frames.ts';
import { parseOptions, parseStartup, startupRequest, type StartupPacket } from './startup.ts';

const packet = (params: Record<string, string>, version = 196608) =>
  parseStartup(Buffer.concat([int32(version), ...Object.entries(params).flatMap(([k, v]) => [cstring(k), cstring(v)]), Buffer.from([0])]));
const startup = (params: Record<string, string>, version?: number) => packet(params, version) as Extract<StartupPacket, { kind: 'startup' }>;

it('tells requests from a start-up message', () => {
  assert.deepEqual(parseStartup(int32(80877103)), { kind: 'ssl' });
  assert.deepEqual(parseStartup(int32(80877104)), { kind: 'gssenc' });
  assert.deepEqual(parseStartup(Buffer.concat([int32(80877102), int32(7), int32(-5)])), { kind: 'cancel', pid: 7, secret: -5 });
  const s = startup({ user: 'postgres', application_name: 'psql' });
  assert.equal(s.major, 3);
  assert.equal(s.minor, 0);
  assert.equal(s.params.get('application_name'), 'psql');
});

it('serves postgres on postgres, with the packet and options settings', () => {
  const r = startupRequest(startup({ user: 'postgres', database: 'postgres', application_name: 'x', options: '-c search_path=app --statement-timeout=5s', '_pq_.foo': '1' }, 196610));
  assert.ok(!('severity' in r));
  assert.deepEqual(r.settings, [
    ['application_name', 'x'],
    ['search_path', 'app'],
    ['statement_timeout', '5s'],
  ]);
  assert.deepEqual(r.unrecognized, ['_pq_.foo']);
});

it('refuses other users, databases, protocols and replication', () => {
  const code = (params: Record<string, string>, version?: number) => {
    const r = startupRequest(startup(params, version));
    return 'code' in r ? r.code : 'served';
  };
  assert.equal(code({ user: 'anon' }), '28P01');
  assert.equal(code({}), '28000');
  assert.equal(code({ user: 'postgres', database: 'app' }), '3D000');
  assert.equal(code({ user: 'postgres', replication: 'database' }), '0A000');
  assert.equal(code({ user: 'postgres', replication: 'false' }), 'served');
  assert.equal(code({ user: 'postgres' }, 2 << 16), '0A000');
});

it('reads options as PostgreSQL does: -c or --, backslash escapes', () => {
  assert.deepEqual(parseOptions('  -c a=1   -cb=2 --c-d=x\\ y '), [
    ['a', '1'],
    ['b', '2'],
    ['c_d', 'x y'],
  ]);
  assert.deepEqual(parseOptions(''), []);
  assert.equal('code' in parseOptions('-x'), true);
  assert.equal('code' in parseOptions('-c nothing'), true);
});
