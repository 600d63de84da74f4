import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from '../lib/sql.ts';
import { openTestDatabase, dbKind } from '../../test/support/db.ts';
import type { Database } from '../db/port.ts';
import { bootstrap, bootstrapSteps, BOOTSTRAP_VERSION } from './run.ts';

describe(`bootstrap (${dbKind})`, () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Database;
  before(async () => {
    t = await openTestDatabase({ fresh: true });
    db = t.db;
  });
  after(() => t.dispose());

  it('bootstraps a new database from nothing', async () => {
    assert.deepEqual(await bootstrap(db), { from: 0, to: BOOTSTRAP_VERSION, fresh: true });
  });

  it('creates the Supabase roles, with BYPASSRLS only for service_role', async () => {
    const { rows } = await db.query(sql`select rolname, rolcanlogin, rolbypassrls, rolinherit from pg_roles
      where rolname in ('anon', 'authenticated', 'service_role', 'authenticator') order by rolname`);
    assert.deepEqual(rows, [
      { rolname: 'anon', rolcanlogin: false, rolbypassrls: false, rolinherit: false },
      { rolname: 'authenticated', rolcanlogin: false, rolbypassrls: false, rolinherit: false },
      { rolname: 'authenticator', rolcanlogin: true, rolbypassrls: false, rolinherit: false },
      { rolname: 'service_role', rolcanlogin: false, rolbypassrls: true, rolinherit: false },
    ]);
    const member = await db.query(sql`select pg_has_role('authenticator', r, 'member') as m from unnest(array['anon', 'authenticated', 'service_role']) r`);
    assert.deepEqual(member.rows.map((r) => r['m']), [true, true, true]);
  });

  it('creates the schemas, extensions and publication', async () => {
    const schemas = await db.query(sql`select nspname from pg_namespace where nspname in ('auth', 'extensions', 'graphql_public') order by 1`);
    assert.deepEqual(schemas.rows.map((r) => r['nspname']), ['auth', 'extensions', 'graphql_public']);
    const ext = await db.query(sql`select e.extname, n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace
      where e.extname in ('pgcrypto', 'uuid-ossp') order by 1`);
    assert.deepEqual(ext.rows, [
      { extname: 'pgcrypto', nspname: 'extensions' },
      { extname: 'uuid-ossp', nspname: 'extensions' },
    ]);
    const pub = await db.query(sql`select count(*)::int as n from pg_publication where pubname = 'supabase_realtime'`);
    assert.equal(pub.rows[0]?.['n'], 1);
  });

  it('shapes auth.users like Supabase Auth, so Supabase SQL works unchanged', async () => {
    const { rows } = await db.query<{ column_name: string }>(sql`select column_name from information_schema.columns
      where table_schema = 'auth' and table_name = 'users' order by ordinal_position`);
    const columns = rows.map((r) => r.column_name);
    for (const c of ['instance_id', 'id', 'aud', 'role', 'email', 'encrypted_password', 'email_confirmed_at', 'raw_app_meta_data',
      'raw_user_meta_data', 'phone', 'confirmed_at', 'is_sso_user', 'deleted_at', 'is_anonymous']) {
      assert.ok(columns.includes(c), `auth.users.${c}`);
    }
    await db.script(`
      create table public.profiles (id uuid primary key references auth.users (id) on delete cascade, name text);
      alter table public.profiles enable row level security;
      create policy own on public.profiles using (auth.uid() = id);
      insert into auth.users (id, email, phone_confirmed_at) values ('11111111-1111-4111-8111-111111111111', 'a@example.com', '2026-01-01');
      insert into public.profiles values ('11111111-1111-4111-8111-111111111111', 'a');`);
    const confirmed = await db.query(sql`select confirmed_at::text as c from auth.users`);
    assert.match(String(confirmed.rows[0]?.['c']), /^2026-01-01/, 'confirmed_at is generated');
  });

  it('gives the API roles default privileges on public, so RLS is the guard', async () => {
    await db.script('create table public.fresh_table (id int); create sequence public.fresh_seq; create function public.fresh_fn() returns int language sql as $$ select 1 $$;');
    const { rows } = await db.query(sql`select
      has_table_privilege('anon', 'public.fresh_table', 'select, insert, update, delete') as anon_t,
      has_table_privilege('authenticated', 'public.fresh_table', 'select, insert, update, delete') as auth_t,
      has_sequence_privilege('authenticated', 'public.fresh_seq', 'usage') as auth_s,
      has_function_privilege('anon', 'public.fresh_fn()', 'execute') as anon_f,
      has_schema_privilege('anon', 'auth', 'usage') as anon_auth`);
    assert.deepEqual(rows[0], { anon_t: true, auth_t: true, auth_s: true, anon_f: true, anon_auth: true });
  });

  it('defines auth.uid(), auth.role(), auth.email() and auth.jwt() from the request claims', async () => {
    const claims = JSON.stringify({ sub: '11111111-1111-4111-8111-111111111111', role: 'authenticated', email: 'a@example.com', aal: 'aal1' });
    const row = await db.transaction(async (tx) => {
      await tx.query(sql`select set_config('request.jwt.claims', ${claims}, true)`);
      return (await tx.query(sql`select auth.uid()::text as uid, auth.role() as role, auth.email() as email, auth.jwt() ->> 'aal' as aal`)).rows[0];
    });
    assert.deepEqual(row, { uid: '11111111-1111-4111-8111-111111111111', role: 'authenticated', email: 'a@example.com', aal: 'aal1' });
    const none = await db.query(sql`select auth.uid() as uid, auth.jwt() as jwt`);
    assert.deepEqual(none.rows[0], { uid: null, jwt: null });
  });

  it('is idempotent and never touches user data', async () => {
    await db.script("create table public.keep (v text); insert into public.keep values ('precious');");
    assert.deepEqual(await bootstrap(db), { from: BOOTSTRAP_VERSION, to: BOOTSTRAP_VERSION, fresh: false });
    assert.deepEqual((await db.query(sql`select v from public.keep`)).rows, [{ v: 'precious' }]);
    assert.equal((await db.query(sql`select count(*)::int as n from public.profiles`)).rows[0]?.['n'], 1);
  });

  it('upgrades an existing database by running only the new steps', async () => {
    const next = BOOTSTRAP_VERSION + 1;
    const steps = [...bootstrapSteps, { version: next, name: 'test upgrade', sql: 'create table _groundwork.upgraded (x int);' }];
    assert.deepEqual(await bootstrap(db, steps), { from: BOOTSTRAP_VERSION, to: next, fresh: false });
    const { rows } = await db.query(sql`select version, name from _groundwork.bootstrap order by version`);
    assert.deepEqual(rows.at(-1), { version: next, name: 'test upgrade' });
    assert.deepEqual(await bootstrap(db, steps), { from: next, to: next, fresh: false });
  });

  it('survives concurrent bootstraps of one database', async () => {
    const more = await openTestDatabase({ fresh: true });
    try {
      const results = await Promise.all([bootstrap(more.db), bootstrap(more.db), bootstrap(more.db)]);
      assert.equal(results.filter((r) => r.fresh).length, 1);
    } finally {
      await more.dispose();
    }
  });
});
