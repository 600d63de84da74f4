import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openTestDatabase, dbKind } from '../../../test/support/db.ts';
import type { Database } from '../../db/port.ts';
import { runCase, type LintCase } from './advisors-test-helpers.ts';
import { runAdvisors } from './run.ts';

const DEFAULT_EXPOSED = ['public', 'graphql_public', 'pgmq_public'];

// Each case in a schema of its own: setup SQL → the security findings there.
const cases: LintCase[] = [
  { title: 'a table the API roles may use, without RLS', setup: (s) => `create table ${s}.t (id int primary key); grant select on ${s}.t to anon;`, expected: ['rls_disabled_in_public:t'] },
  { title: 'write access alone counts too', setup: (s) => `create table ${s}.t (id int primary key); grant insert on ${s}.t to authenticated;`, expected: ['rls_disabled_in_public:t'] },
  { title: 'the same table in a schema the API does not expose', exposed: false, setup: (s) => `create table ${s}.t (id int primary key); grant select on ${s}.t to anon;`, expected: [] },
  { title: 'a table no API role may use', setup: (s) => `create table ${s}.t (id int primary key);`, expected: [] },
  { title: 'RLS on, no policy', setup: (s) => `create table ${s}.t (id int primary key); alter table ${s}.t enable row level security;`, expected: ['rls_enabled_no_policy:t'] },
  {
    title: 'policies while RLS is off (and the table granted)',
    setup: (s) => `create table ${s}.t (id int primary key); create policy p on ${s}.t using (true); grant select on ${s}.t to anon;`,
    expected: ['policy_exists_rls_disabled:t', 'rls_disabled_in_public:t'],
  },
  {
    title: 'a policy reading user_metadata from the token',
    setup: (s) => `create table ${s}.t (id int primary key, org text); alter table ${s}.t enable row level security;
      create policy by_org on ${s}.t using (org = (select auth.jwt() -> 'user_metadata' ->> 'org'));`,
    expected: ['rls_references_user_metadata:t:by_org'],
  },
  {
    title: 'a policy reading raw_user_meta_data from auth.users',
    setup: (s) => `create table ${s}.t (id int primary key); alter table ${s}.t enable row level security;
      create policy admins on ${s}.t using (exists (select 1 from auth.users u where u.id = (select auth.uid()) and u.raw_user_meta_data ->> 'admin' = 'true'));`,
    expected: ['rls_references_user_metadata:t:admins'],
  },
  {
    title: 'a view without security_invoker, selectable by anon',
    setup: (s) => `create table ${s}.t (id int primary key); alter table ${s}.t enable row level security; create policy p on ${s}.t using (true);
      create view ${s}.v as select id from ${s}.t; grant select on ${s}.v to anon;`,
    expected: ['security_definer_view:v'],
  },
  {
    title: 'a security_invoker view (any spelling of true)',
    setup: (s) => `create table ${s}.t (id int primary key); alter table ${s}.t enable row level security; create policy p on ${s}.t using (true);
      create view ${s}.v with (security_invoker = yes) as select id from ${s}.t; grant select on ${s}.v to anon;`,
    expected: [],
  },
  {
    title: 'a definer view over auth.users',
    setup: (s) => `create view ${s}.users as select id, email from auth.users; grant select on ${s}.users to authenticated;`,
    expected: ['auth_users_exposed:users', 'security_definer_view:users'],
  },
  {
    title: 'auth.users reached through another view',
    setup: (s) => `create view ${s}.inner_users as select id, email from auth.users;
      create view ${s}.emails as select email from ${s}.inner_users; grant select on ${s}.emails to anon;`,
    expected: ['auth_users_exposed:emails', 'security_definer_view:emails'],
  },
  {
    title: 'an invoker view over auth.users (which has RLS)',
    setup: (s) => `create view ${s}.me with (security_invoker = on) as select id from auth.users; grant select on ${s}.me to authenticated;`,
    expected: [],
  },
  {
    title: 'a materialized view selectable by the API roles',
    setup: (s) => `create materialized view ${s}.m as select 1 as x; grant select on ${s}.m to anon, authenticated;`,
    expected: ['materialized_view_in_api:m'],
  },
  {
    title: 'a foreign table selectable by the API roles',
    setup: (s) => `create foreign data wrapper ${s}_fdw; create server ${s}_srv foreign data wrapper ${s}_fdw;
      create foreign table ${s}.f (id int) server ${s}_srv; grant select on ${s}.f to anon;`,
    teardown: (s) => `drop server ${s}_srv cascade; drop foreign data wrapper ${s}_fdw`,
    expected: ['foreign_table_in_api:f'],
  },
  {
    title: 'functions with and without a pinned search_path',
    setup: (s) => `create function ${s}.loose(a int) returns int language sql as 'select a';
      create function ${s}.pinned() returns int language sql set search_path = '' as 'select 1';
      create procedure ${s}.proc() language sql security definer as 'select 1';`,
    expected: ['function_search_path_mutable:loose', 'function_search_path_mutable:proc'],
  },
  {
    title: 'an extension in an exposed schema',
    setup: (s) => `alter extension "uuid-ossp" set schema ${s};`,
    teardown: () => `alter extension "uuid-ossp" set schema extensions`,
    expected: ['extension_in_public:uuid-ossp'],
  },
  {
    title: 'a queue table without RLS while pgmq_public is exposed',
    findIn: 'pgmq',
    alsoExposed: ['pgmq_public'],
    setup: () => `select pgmq.create('adv_open'); select pgmq.create('adv_closed'); grant select on pgmq.q_adv_open to anon;`,
    teardown: () => `select pgmq.drop_queue('adv_open'); select pgmq.drop_queue('adv_closed')`,
    expected: ['insecure_queue_exposed_in_api:q_adv_open'],
  },
  {
    title: 'a clean schema: RLS with policies, an invoker view, pinned functions',
    setup: (s) => `create table ${s}.docs (id int primary key, owner uuid not null); alter table ${s}.docs enable row level security;
      create policy own on ${s}.docs for all to authenticated using ((select auth.uid()) = owner) with check ((select auth.uid()) = owner);
      grant select, insert, update, delete on ${s}.docs to authenticated;
      create view ${s}.my_docs with (security_invoker = on) as select id from ${s}.docs; grant select on ${s}.my_docs to authenticated;
      create function ${s}.count_docs() returns bigint language sql stable set search_path = '' as 'select count(*) from ${s}.docs';`,
    expected: [],
  },
];

describe(`security advisor (${dbKind})`, () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Database;
  before(async () => {
    t = await openTestDatabase();
    db = t.db;
  });
  after(() => t.dispose());

  it('finds nothing on a freshly bootstrapped database (Groundwork’s own schemas are not the project’s)', async () => {
    assert.deepEqual(await runAdvisors(db, 'security', { exposedSchemas: DEFAULT_EXPOSED }), { lints: [] });
  });

  cases.forEach((c, i) => it(c.title, () => runCase(db, 'security', c, i)));

  it('answers in the Management API lint shape, grouped with a count (MCP 0.11)', async () => {
    await db.script(`create table public.adv_a (id int primary key); create table public.adv_b (id int primary key);`);
    try {
      const result = await runAdvisors(db, 'security', { exposedSchemas: DEFAULT_EXPOSED });
      assert.deepEqual(result, {
        lints: [
          {
            name: 'rls_disabled_in_public',
            title: 'RLS Disabled in Public',
            level: 'ERROR',
            facing: 'EXTERNAL',
            categories: ['SECURITY'],
            description: 'Detects tables in schemas the REST API exposes that row level security (RLS) does not protect.',
            remediation: 'https://supabase.com/docs/guides/database/database-linter?lint=0013_rls_disabled_in_public',
            count: 2,
            findings: ['adv_a', 'adv_b'].map((name) => ({
              detail: `Table \`public.${name}\` is exposed through the API, but RLS has not been enabled: anon and authenticated can use it as far as its grants allow.`,
              metadata: { schema: 'public', name, type: 'table', exposed_to: ['anon', 'authenticated'] },
            })),
          },
        ],
      });
    } finally {
      await db.script(`drop table public.adv_a, public.adv_b;`);
    }
  });
});
