import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openTestDatabase, dbKind } from '../../../test/support/db.ts';
import type { Database } from '../../db/port.ts';
import { ident, sql } from '../../lib/sql.ts';
import { runCase, type LintCase } from './advisors-test-helpers.ts';
import { runAdvisors } from './run.ts';

const parent = (s: string) => `create table ${s}.parent (id int primary key, a int, b int, unique (a, b));`;
// RLS with one policy keeps the security lints out of the way; these cases are about performance.
const rls = (s: string, t: string) => `alter table ${s}.${t} enable row level security;`;

const cases: LintCase[] = [
  {
    title: 'a foreign key no index covers',
    setup: (s) => `${parent(s)} create table ${s}.child (id int primary key, parent_id int references ${s}.parent);`,
    expected: ['unindexed_foreign_keys:child'],
  },
  {
    title: 'a foreign key covered by the leading column of a (unique) index',
    setup: (s) => `${parent(s)} create table ${s}.child (id int primary key, parent_id int references ${s}.parent, unique (parent_id, id));`,
    expected: [],
  },
  {
    title: 'an index with the key column second does not cover it',
    setup: (s) => `${parent(s)} create table ${s}.child (id int primary key, parent_id int references ${s}.parent, unique (id, parent_id));`,
    expected: ['unindexed_foreign_keys:child'],
  },
  {
    title: 'a two-column key covered by an index on the same columns in another order',
    setup: (s) => `${parent(s)} create table ${s}.child (id int primary key, a int, b int, foreign key (a, b) references ${s}.parent (a, b), unique (b, a));`,
    expected: [],
  },
  {
    title: 'a partial index does not cover a key (and is never scanned)',
    setup: (s) => `${parent(s)} create table ${s}.child (id int primary key, parent_id int references ${s}.parent);
      create index child_recent on ${s}.child (parent_id) where id > 100;`,
    expected: ['unindexed_foreign_keys:child', 'unused_index:child:child_recent'],
  },
  {
    title: 'two identical indexes',
    setup: (s) => `create table ${s}.t (id int primary key, x int); create index t_x1 on ${s}.t (x); create index t_x2 on ${s}.t (x);`,
    expected: ['duplicate_index:t', 'unused_index:t:t_x1', 'unused_index:t:t_x2'],
  },
  {
    title: 'same column, one unique and one descending: not duplicates',
    setup: (s) => `create table ${s}.t (id int primary key, x int unique); create index t_x_desc on ${s}.t (x desc);`,
    expected: ['unused_index:t:t_x_desc'],
  },
  {
    title: 'a table without a primary key',
    setup: (s) => `create table ${s}.log (at timestamptz, line text);`,
    expected: ['no_primary_key:log'],
  },
  {
    title: 'an index that was scanned is not unused',
    setup: (s) => `create table ${s}.t (id int primary key, x int, y int); create index t_x on ${s}.t (x); create index t_idle on ${s}.t (y);`,
    // Scan t_x, and have the session report its statistics as soon as the transaction ends.
    afterSetup: (db, s) =>
      db.transaction(
        async (tx) => {
          await tx.query(sql`select id from ${ident(s, 't')} where x = 1`);
          await tx.query(sql`select pg_stat_force_next_flush()`);
        },
        { settings: [['enable_seqscan', 'off'], ['enable_bitmapscan', 'off']] },
      ),
    expected: ['unused_index:t:t_idle'],
  },
  {
    title: 'auth.uid() per row in a policy, and current_setting() in a check',
    setup: (s) => `create table ${s}.t (id int primary key, owner uuid); ${rls(s, 't')}
      create policy read_own on ${s}.t for select to authenticated using (auth.uid() = owner);
      create policy add_own on ${s}.t for insert to authenticated with check (owner = (current_setting('request.jwt.claims', true)::json ->> 'sub')::uuid);`,
    expected: ['auth_rls_initplan:t:read_own', 'auth_rls_initplan:t:add_own'],
  },
  {
    title: 'the same calls wrapped in a sub-SELECT',
    setup: (s) => `create table ${s}.t (id int primary key, owner uuid); ${rls(s, 't')}
      create policy read_own on ${s}.t for select to authenticated using ((select auth.uid()) = owner);
      create policy add_own on ${s}.t for insert to authenticated with check (owner = (select (current_setting('request.jwt.claims', true)::json ->> 'sub')::uuid));`,
    expected: [],
  },
  {
    title: 'per-row calls in a policy of a table without RLS are not a performance matter',
    setup: (s) => `create table ${s}.t (id int primary key, owner uuid); create policy read_own on ${s}.t using (auth.uid() = owner);`,
    expected: [],
  },
  {
    title: 'two permissive policies for everyone on one action',
    setup: (s) => `create table ${s}.t (id int primary key, public boolean); ${rls(s, 't')}
      create policy a on ${s}.t for select using (public); create policy b on ${s}.t for select using (id < 10);`,
    expected: ['multiple_permissive_policies:t:anon:SELECT', 'multiple_permissive_policies:t:authenticated:SELECT'],
  },
  {
    title: 'FOR ALL and FOR SELECT overlap on SELECT for their common role',
    setup: (s) => `create table ${s}.t (id int primary key); ${rls(s, 't')}
      create policy everything on ${s}.t for all to authenticated using (true); create policy reading on ${s}.t for select to anon, authenticated using (true);`,
    expected: ['multiple_permissive_policies:t:authenticated:SELECT'],
  },
  {
    title: 'one policy per role, or a restrictive one beside a permissive one',
    setup: (s) => `create table ${s}.t (id int primary key); ${rls(s, 't')}
      create policy for_anon on ${s}.t for select to anon using (id < 10); create policy for_users on ${s}.t for select to authenticated using (true);
      create policy only_small on ${s}.t as restrictive for select to authenticated using (id < 1000);`,
    expected: [],
  },
];

describe(`performance advisor (${dbKind})`, () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Database;
  before(async () => {
    t = await openTestDatabase();
    db = t.db;
  });
  after(() => t.dispose());

  it('finds nothing on a freshly bootstrapped database', async () => {
    assert.deepEqual(await runAdvisors(db, 'performance', { exposedSchemas: ['public'] }), { lints: [] });
  });

  cases.forEach((c, i) => it(c.title, () => runCase(db, 'performance', c, i)));

  it('orders the groups most severe first (WARN before INFO)', async () => {
    await db.script(`create table public.adv_nopk (x int); create index adv_x1 on public.adv_nopk (x); create index adv_x2 on public.adv_nopk (x);`);
    try {
      const { lints } = await runAdvisors(db, 'performance', { exposedSchemas: ['public'] });
      assert.deepEqual(lints.map((g) => [g.name, g.level, g.count]), [['duplicate_index', 'WARN', 1], ['unused_index', 'INFO', 2], ['no_primary_key', 'INFO', 1]]);
    } finally {
      await db.script(`drop table public.adv_nopk;`);
    }
  });
});
