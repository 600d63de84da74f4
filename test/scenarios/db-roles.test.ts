// Least privilege: requests log in as `authenticator` and become the caller's role, Auth's
// flows run as `supabase_auth_admin`, and neither role can do more than that. On server
// PostgreSQL (a cluster of its own, since it changes cluster-wide roles): the connections'
// logins as pg_stat_activity shows them, a start with a DATABASE_URL that cannot bootstrap
// plus an admin URL, and a login password reset behind the server's back.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import postgres from 'postgres';
import { startGroundwork, type Groundwork } from '../../src/app/start.ts';
import { resolveConfig } from '../../src/config/load.ts';
import { derivedPassword } from '../../src/db/logins.ts';
import { sql } from '../../src/lib/sql.ts';
import { silentProgress } from '../../src/lib/progress.ts';
import type { Observation } from '../../src/observe/events.ts';
import { dbKind, quiet, TEST_JWT_SECRET } from '../support/db.ts';
import { startPgCluster, type PgCluster } from '../support/pg-cluster.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { supabase } from '../support/supabase.ts';

describe(`database roles (${dbKind})`, () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ env: { GROUNDWORK_AUTH_AUTOCONFIRM: 'true', GROUNDWORK_AUTH_HOOK_CUSTOM_ACCESS_TOKEN: 'public.login_claims' } });
    // The hook is looked up when a token is made: it records who runs Auth's transaction.
    await s.gw.db.admin.script(`create function public.login_claims(event jsonb) returns jsonb language sql stable as
      $$ select jsonb_build_object('claims', (event -> 'claims') || jsonb_build_object('db_user', current_user, 'db_login', session_user)) $$;
      grant execute on function public.login_claims(jsonb) to supabase_auth_admin;`);
  });
  after(() => s.stop());

  it("runs Auth's flows as supabase_auth_admin", async () => {
    const { data, error } = await supabase(s.url, s.gw.keys.anon).auth.signUp({ email: 'roles@example.com', password: 'correct horse' });
    assert.equal(error, null);
    const claims = decodeJwt(data.session?.access_token ?? '');
    assert.deepEqual([claims['db_user'], claims['db_login']], ['supabase_auth_admin', 'supabase_auth_admin']);
  });

  it('gives the login roles nothing of their own: no superuser, no RLS bypass, no table privileges', async () => {
    const { rows } = await s.gw.db.admin.query<{ name: string; superuser: boolean; bypassrls: boolean; inherits: boolean; users: boolean; bootstrap: boolean }>(sql`
      select rolname as name, rolsuper as superuser, rolbypassrls as bypassrls, rolinherit as inherits,
        has_table_privilege(rolname, 'auth.users', 'select') as users,
        has_table_privilege(rolname, '_groundwork.bootstrap', 'select') as bootstrap
      from pg_roles where rolname in ('authenticator', 'supabase_auth_admin') order by rolname`);
    // Only Auth's role reaches Auth's tables (it owns them); neither reads Groundwork's own records.
    assert.deepEqual(rows, [
      { name: 'authenticator', superuser: false, bypassrls: false, inherits: false, users: false, bootstrap: false },
      { name: 'supabase_auth_admin', superuser: false, bypassrls: false, inherits: false, users: true, bootstrap: false },
    ]);
    const { rows: members } = await s.gw.db.admin.query<{ role: string }>(sql`
      select r.rolname as role from pg_auth_members m join pg_roles r on r.oid = m.roleid join pg_roles u on u.oid = m.member
      where u.rolname = 'authenticator' order by 1`);
    assert.deepEqual(members.map((m) => m.role), ['anon', 'authenticated', 'service_role']);
  });

  it('refuses a transaction on the API connection that would switch to a role authenticator may not become', async () => {
    await assert.rejects(
      s.gw.db.api.transaction((tx) => tx.query(sql`select 1`), { caller: { role: 'supabase_auth_admin', claims: {}, headers: {}, cookies: {}, method: 'GET', path: '/' } }),
      (e: Error & { sqlstate?: string }) => e.sqlstate === '42501' && /permission denied to set role "supabase_auth_admin"/.test(e.message),
    );
  });
});

if (dbKind === 'postgres') {
  describe('server mode: login roles', () => {
    let cluster: PgCluster;
    let db: string;
    const nodes: Groundwork[] = [];
    const url = (user: string, password: string) => {
      const u = new URL(db);
      u.username = user;
      u.password = password;
      return u.toString();
    };
    const start = async (env: Record<string, string>, events: Observation[] = []) => {
      const config = resolveConfig({ flags: {}, env: { JWT_SECRET: TEST_JWT_SECRET, PORT: '0', LOG_LEVEL: 'silent', GROUNDWORK_AUTH_AUTOCONFIRM: 'true', GROUNDWORK_DATA_DIR: cluster.dir, ...env }, cwd: cluster.dir, readFile: () => undefined });
      const gw = await startGroundwork(config, { observe: (e) => events.push(e), progress: silentProgress });
      nodes.push(gw);
      return gw;
    };
    before(async () => {
      cluster = await startPgCluster();
      const admin = postgres(cluster.url, { max: 1, onnotice: quiet });
      await admin.unsafe('create database app');
      await admin.end();
      db = new URL('/app', cluster.url).toString();
    });
    after(async () => {
      for (const gw of nodes) await gw.close();
      cluster.destroy();
    });

    it('logs requests in as authenticator and Auth as supabase_auth_admin, with the derived passwords', async () => {
      const gw = await start({ DATABASE_URL: db });
      const r = await fetch(`${gw.url}/rest/v1/`, { headers: { apikey: gw.keys.anon } });
      assert.equal(r.status, 200);
      const { error } = await supabase(gw.url, gw.keys.anon).auth.signUp({ email: 'login@example.com', password: 'correct horse' });
      assert.equal(error, null);
      const { rows } = await gw.db.admin.query<{ app: string; login: string; superuser: boolean }>(sql`
        select distinct a.application_name as app, a.usename::text as login, r.rolsuper as superuser
        from pg_stat_activity a join pg_roles r on r.rolname = a.usename
        where a.datname = 'app' and a.application_name in ('groundwork api', 'groundwork auth') order by 1`);
      assert.deepEqual(rows, [
        { app: 'groundwork api', login: 'authenticator', superuser: false },
        { app: 'groundwork auth', login: 'supabase_auth_admin', superuser: false },
      ]);
    });

    it('starts with DATABASE_URL logging in as authenticator and an admin URL for the bootstrap', async () => {
      const gw = await start({ DATABASE_URL: url('authenticator', derivedPassword(TEST_JWT_SECRET, 'authenticator')), GROUNDWORK_ADMIN_DATABASE_URL: db });
      const who = await gw.db.api.transaction((tx) => tx.query<{ role: string; login: string }>(sql`select current_user as role, session_user as login`), {
        caller: { role: 'anon', claims: {}, headers: {}, cookies: {}, method: 'GET', path: '/' },
      });
      assert.deepEqual(who.rows, [{ role: 'anon', login: 'authenticator' }]);
      const { error } = await supabase(gw.url, gw.keys.anon).auth.signInWithPassword({ email: 'login@example.com', password: 'correct horse' });
      assert.equal(error, null);
    });

    it('names GROUNDWORK_ADMIN_DATABASE_URL when DATABASE_URL cannot bootstrap a new database', async () => {
      const admin = postgres(db, { max: 1, onnotice: quiet });
      await admin.unsafe('create database fresh');
      await admin.unsafe(`create role app_user login password 'app-user-password'`);
      await admin.end();
      const fresh = new URL('/fresh', cluster.url);
      fresh.username = 'app_user';
      fresh.password = 'app-user-password';
      await assert.rejects(start({ DATABASE_URL: fresh.toString() }), /^ConfigError: DATABASE_URL names a role that cannot bootstrap the database \(permission denied .*\); set GROUNDWORK_ADMIN_DATABASE_URL/);
    });

    it('sets a login password again when PostgreSQL refuses it', async () => {
      const admin = postgres(db, { max: 1, onnotice: quiet });
      await admin.unsafe(`alter role authenticator password 'changed-behind-its-back'`);
      await admin.end();
      const events: Observation[] = [];
      const gw = await start({ DATABASE_URL: db }, events);
      assert.deepEqual(events.filter((e) => e.type === 'db-login-password-set'), [{ type: 'db-login-password-set', role: 'authenticator' }]);
      assert.equal((await fetch(`${gw.url}/rest/v1/`, { headers: { apikey: gw.keys.anon } })).status, 200);
    });
  });
}
