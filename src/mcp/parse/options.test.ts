import { it } from 'node:test';
import assert from 'node:assert/strict';
import { parseOptions } from './options.ts';

it("reads read_only and features from the query, as Supabase's server does", () => {
  const all = ['docs', 'database', 'debugging', 'development', 'functions'];
  const cases: Array<[Record<string, unknown>, boolean, unknown]> = [
    [{}, false, { readOnly: false, features: all }],
    [{}, true, { readOnly: true, features: all }],
    [{ read_only: 'true' }, false, { readOnly: true, features: all }],
    [{ read_only: 'false' }, true, { readOnly: true, features: all }],
    [{ features: 'database,docs' }, false, { readOnly: false, features: ['database', 'docs'] }],
    [{ features: 'debug, Database' }, false, { readOnly: false, features: ['debugging', 'database'] }],
    [{ features: '' }, false, { readOnly: false, features: [] }],
    [{ read_only: 'yes' }, false, { problem: { name: 'read_only', message: 'must be true or false' } }],
    [{ features: 'account' }, false, { problem: { name: 'features', message: 'unknown feature group "account"; this server offers docs, database, debugging, development, functions' } }],
    [{ features: ['a', 'b'] }, false, { problem: { name: 'features', message: 'must be given once, as a comma-separated list' } }],
  ];
  for (const [query, forced, expected] of cases) {
    const got = parseOptions(query, forced);
    assert.deepEqual('problem' in got ? got : { readOnly: got.readOnly, features: [...got.features] }, expected, JSON.stringify(query));
  }
});
