// Server PostgreSQL keeps roles and parameter grants cluster-wide, so the first starts of
// several projects on a new cluster (or the test harness's files, each with a database of
// its own) bootstrap side by side and race on the same catalog rows. A cluster of its own,
// since the race only happens while those rows do not exist yet.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import postgres from 'postgres';
import { resolveConfig } from '../config/load.ts';
import { openDatabase } from '../db/open.ts';
import { sql } from '../lib/sql.ts';
import { dbKind, quiet, TEST_JWT_SECRET } from '../../test/support/db.ts';
import { startPgCluster, type PgCluster } from '../../test/support/pg-cluster.ts';
import { bootstrap, BOOTSTRAP_VERSION } from './run.ts';

const NAMES = ['gw_a', 'gw_b', 'gw_c', 'gw_d', 'gw_e', 'gw_f'];

if (dbKind === 'postgres') {
  describe('bootstrap on a new cluster (postgres)', () => {
    let cluster: PgCluster;
    before(async () => {
      cluster = await startPgCluster();
      const admin = postgres(cluster.url, { max: 1, onnotice: quiet });
      for (const name of NAMES) await admin.unsafe(`create database ${name}`);
      await admin.end();
    });
    after(() => cluster.destroy());

    it('bootstraps six databases at once: roles and the compute_query_id grant are made once, none fails', async () => {
      const dbs = await Promise.all(NAMES.map((name) => {
        const url = new URL(cluster.url);
        url.pathname = `/${name}`;
        const env = { JWT_SECRET: TEST_JWT_SECRET, DATABASE_URL: url.toString(), GROUNDWORK_DB_PORT: 'off' };
        return openDatabase(resolveConfig({ flags: {}, env, cwd: '/', readFile: () => undefined }), quiet);
      }));
      try {
        const results = await Promise.all(dbs.map((db) => bootstrap(db)));
        assert.deepEqual(results.map((r) => r.to), NAMES.map(() => BOOTSTRAP_VERSION));
        const { rows } = await (dbs[0] ?? assert.fail('no database')).query(sql`
          select has_parameter_privilege('authenticator', 'compute_query_id', 'SET') as may_set,
            (select count(*)::int from pg_roles where rolname in ('anon', 'authenticated', 'service_role', 'authenticator', 'supabase_auth_admin')) as roles`);
        assert.deepEqual(rows[0], { may_set: true, roles: 5 });
      } finally {
        await Promise.all(dbs.map((db) => db.close()));
      }
    });
  });
}
