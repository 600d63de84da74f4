// The database port's contract: the same assertions against the embedded and the server
// adapter (the harness runs this file once per database kind).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from '../lib/sql.ts';
import { openTestDatabase, dbKind } from '../../test/support/db.ts';
import { DbError, DbUnavailableError } from './errors.ts';
import type { Caller, Database } from './port.ts';

const alice = '11111111-1111-4111-8111-111111111111';
const caller = (over: Partial<Caller> = {}): Caller => ({
  role: 'authenticated',
  claims: { sub: alice, role: 'authenticated', email: 'alice@example.com' },
  headers: { 'x-test': 'yes' },
  cookies: { session: 'abc' },
  method: 'GET',
  path: '/todos',
  ...over,
});

describe(`database port contract (${dbKind})`, () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Database;
  before(async () => {
    t = await openTestDatabase();
    db = t.db;
    await db.script(`
      create table public.todos (id serial primary key, owner uuid not null, title text not null);
      alter table public.todos enable row level security;
      create policy own on public.todos using (owner = auth.uid()) with check (owner = auth.uid());
      insert into public.todos (owner, title) values ('${alice}', 'mine'), (gen_random_uuid(), 'theirs');`);
  });
  after(() => t.dispose());

  it('reports its mode', () => assert.equal(db.mode, dbKind === 'pglite' ? 'embedded' : 'server'));

  it('returns values typed the same way on both adapters', async () => {
    const { rows } = await db.query(sql`select 1::int2 as i2, 2::int4 as i4, 3::int8 as i8, 1.5::float8 as f8, 12.30::numeric as num,
      true as b, 'x'::text as t, null::text as n, '{"a":[1]}'::json as j, '{"b":2}'::jsonb as jb,
      '2026-01-02 03:04:05+00'::timestamptz at time zone 'UTC' as ts, '2026-01-02'::date as d,
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid as u, array['a','b'] as arr, array[1,2] as iarr`);
    assert.deepEqual(rows[0], {
      i2: 1,
      i4: 2,
      i8: '3',
      f8: 1.5,
      num: '12.30',
      b: true,
      t: 'x',
      n: null,
      j: { a: [1] },
      jb: { b: 2 },
      ts: '2026-01-02 03:04:05',
      d: '2026-01-02',
      u: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      arr: ['a', 'b'],
      iarr: [1, 2],
    });
  });

  it('passes values as parameters, never as SQL text', async () => {
    const evil = "x'); drop table public.todos; --";
    const { rows } = await db.query<{ v: string }>(sql`select ${evil}::text as v`);
    assert.equal(rows[0]?.v, evil);
    const still = await db.query(sql`select count(*)::int as n from public.todos`);
    assert.equal(still.rows[0]?.['n'], 2);
  });

  it('counts affected rows', async () => {
    await db.script('create table public.counted (x int)');
    assert.equal((await db.query(sql`insert into public.counted select generate_series(1, 3)`)).rowCount, 3);
    assert.equal((await db.query(sql`update public.counted set x = x + 1 where x > 1`)).rowCount, 2);
    assert.equal((await db.query(sql`delete from public.counted`)).rowCount, 3);
    assert.equal((await db.query(sql`select 1 where false`)).rowCount, 0);
  });

  it('runs multi-statement scripts', async () => {
    await db.script('create table public.s1 (x int); insert into public.s1 values (1); insert into public.s1 values (2);');
    assert.equal((await db.query(sql`select sum(x)::int as s from public.s1`)).rows[0]?.['s'], 3);
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    await db.script('create table public.tx (x int)');
    await db.transaction(async (tx) => {
      await tx.query(sql`insert into public.tx values (1)`);
    });
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.query(sql`insert into public.tx values (2)`);
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.deepEqual((await db.query(sql`select x from public.tx`)).rows, [{ x: 1 }]);
  });

  it('raises DbError with SQLSTATE, detail, hint and position', async () => {
    await db.script('create table public.uniq (id int primary key)');
    await db.query(sql`insert into public.uniq values (1)`);
    const dup = await db.query(sql`insert into public.uniq values (1)`).catch((e: unknown) => e);
    assert.ok(dup instanceof DbError);
    assert.equal(dup.sqlstate, '23505');
    assert.equal(dup.detail, 'Key (id)=(1) already exists.');
    const syntax = await db.query(sql`select * fromm nowhere`).catch((e: unknown) => e);
    assert.ok(syntax instanceof DbError);
    assert.equal(syntax.sqlstate, '42601');
    assert.equal(syntax.position, 10);
    const hinted = await db.query(sql`select nosuchfn(1)`).catch((e: unknown) => e);
    assert.ok(hinted instanceof DbError);
    assert.equal(hinted.sqlstate, '42883');
    assert.match(hinted.hint ?? '', /No function matches/);
  });

  it('runs a transaction as the caller, with every request setting, in one statement', async () => {
    const row = await db.transaction(
      async (tx) =>
        (
          await tx.query(sql`select current_user as role, auth.uid()::text as uid, auth.role() as claim_role, auth.email() as email,
            auth.jwt() ->> 'sub' as jwt_sub, current_setting('request.method') as method, current_setting('request.path') as path,
            current_setting('request.headers')::json ->> 'x-test' as header,
            current_setting('request.cookies')::json ->> 'session' as cookie`)
        ).rows[0],
      { caller: caller() },
    );
    assert.deepEqual(row, {
      role: 'authenticated',
      uid: alice,
      claim_role: 'authenticated',
      email: 'alice@example.com',
      jwt_sub: alice,
      method: 'GET',
      path: '/todos',
      header: 'yes',
      cookie: 'abc',
    });
  });

  it('leaves nothing of the caller behind after the transaction', async () => {
    await db.transaction(async () => undefined, { caller: caller() });
    const { rows } = await db.query(sql`select current_user as u, coalesce(current_setting('request.jwt.claims', true), '') as c`);
    assert.equal(rows[0]?.['c'], '');
    assert.notEqual(rows[0]?.['u'], 'authenticated');
  });

  it('runs a transaction with another session user, checking the caller against it, and reverts it after', async () => {
    const login = { sessionUser: 'authenticator' };
    const who = await db.transaction(async (tx) => (await tx.query(sql`select current_user as role, session_user as login`)).rows, { ...login, caller: caller() });
    assert.deepEqual(who, [{ role: 'authenticated', login: 'authenticator' }]);
    const piped = await db.pipeline([sql`select current_user as role, session_user as login`], { ...login, caller: caller({ role: 'anon' }) });
    assert.deepEqual(piped[0]?.rows, [{ role: 'anon', login: 'authenticator' }]);
    // The caller's role is checked against the session user, as on a server pool logged in as it.
    await assert.rejects(
      db.transaction(async () => undefined, { ...login, caller: caller({ role: 'postgres' }) }),
      (e: unknown) => e instanceof DbError && e.sqlstate === '42501',
    );
    const after = await db.query<{ role: string; login: string }>(sql`select current_user as role, session_user as login`);
    assert.notEqual(after.rows[0]?.login, 'authenticator', 'the session user is back after commit and after rollback');
    assert.equal(after.rows[0]?.role, after.rows[0]?.login);
  });

  it('lets row-level security decide', async () => {
    const seen = await db.transaction(async (tx) => (await tx.query(sql`select title from public.todos order by id`)).rows, { caller: caller() });
    assert.deepEqual(seen, [{ title: 'mine' }]);
    const anon = await db.transaction(async (tx) => (await tx.query(sql`select title from public.todos`)).rows, { caller: caller({ role: 'anon', claims: { role: 'anon' } }) });
    assert.deepEqual(anon, []);
    const service = await db.transaction(async (tx) => (await tx.query(sql`select count(*)::int as n from public.todos`)).rows[0], {
      caller: caller({ role: 'service_role', claims: { role: 'service_role' } }),
    });
    assert.deepEqual(service, { n: 2 }, 'service_role bypasses RLS');
    const denied = await db
      .transaction((tx) => tx.query(sql`insert into public.todos (owner, title) values (gen_random_uuid(), 'forged')`), { caller: caller() })
      .catch((e: unknown) => e);
    assert.ok(denied instanceof DbError);
    assert.equal(denied.sqlstate, '42501');
  });

  it('keeps concurrent callers apart', async () => {
    const subs = Array.from({ length: 12 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const seen = await Promise.all(
      subs.map((sub) =>
        db.transaction(
          async (tx) => {
            await tx.query(sql`select pg_sleep(0.01)`);
            return (await tx.query<{ uid: string }>(sql`select auth.uid()::text as uid`)).rows[0]?.uid;
          },
          { caller: caller({ claims: { sub, role: 'authenticated' } }) },
        ),
      ),
    );
    assert.deepEqual(seen, subs);
  });

  it('keeps the event loop free while a slow query runs', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = performance.now();
    await db.query(sql`select pg_sleep(1)`);
    clearInterval(timer);
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 950, `the query slept (${Math.round(elapsed)} ms)`);
    // A blocked loop would tick about once; a free one about 100 times.
    assert.ok(ticks >= 50, `timer ticked ${ticks} times during a 1 s query`);
  });

  it('pipelines a whole transaction: settings, statements, commit', async () => {
    await db.script('create table public.piped (x int)');
    const [a, b] = await db.pipeline([sql`insert into public.piped values (1), (2)`, sql`select auth.uid()::text as uid, current_user as role`], { caller: caller() });
    assert.equal(a?.rowCount, 2);
    assert.deepEqual(b?.rows, [{ uid: alice, role: 'authenticated' }]);
    assert.equal((await db.query(sql`select count(*)::int as n from public.piped`)).rows[0]?.['n'], 2);
  });

  it('rolls a failed pipeline back whole and reports the first error', async () => {
    const e = await db.pipeline([sql`insert into public.piped values (3)`, sql`select 1/0`, sql`insert into public.piped values (4)`]).catch((x: unknown) => x);
    assert.ok(e instanceof DbError);
    assert.equal(e.sqlstate, '22012');
    assert.equal((await db.query(sql`select count(*)::int as n from public.piped`)).rows[0]?.['n'], 2);
    const rolled = await db.pipeline([sql`insert into public.piped values (5) returning x`], { rollback: true });
    assert.deepEqual(rolled[0]?.rows, [{ x: 5 }]);
    assert.equal((await db.query(sql`select count(*)::int as n from public.piped`)).rows[0]?.['n'], 2, 'rollback: true undid it');
    const ro = await db.pipeline([sql`insert into public.piped values (6)`], { readOnly: true }).catch((x: unknown) => x);
    assert.ok(ro instanceof DbError && ro.sqlstate === '25006');
  });

  it('refuses writes in a read-only transaction', async () => {
    const e = await db.transaction((tx) => tx.query(sql`insert into public.tx values (9)`), { readOnly: true }).catch((x: unknown) => x);
    assert.ok(e instanceof DbError);
    assert.equal(e.sqlstate, '25006');
  });

  it('delivers notifications after commit, and none on rollback', async () => {
    const got: string[] = [];
    const unlisten = await db.listen('contract_channel', (p) => got.push(p));
    await db.transaction(async (tx) => {
      await tx.query(sql`select pg_notify('contract_channel', 'committed')`);
    });
    await db
      .transaction(async (tx) => {
        await tx.query(sql`select pg_notify('contract_channel', 'rolled back')`);
        throw new Error('undo');
      })
      .catch(() => undefined);
    await db.query(sql`select pg_notify('contract_channel', 'autocommit')`);
    for (let i = 0; i < 100 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(got, ['committed', 'autocommit']);
    await unlisten();
    await db.query(sql`select pg_notify('contract_channel', 'after unlisten')`);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(got, ['committed', 'autocommit']);
  });

  it('sends a lone UTF-16 surrogate as U+FFFD on both adapters', async () => {
    const { rows } = await db.query(sql`select ${'é\udebc'}::text as t, length(${'\ud800x'}::text) as n`);
    assert.deepEqual(rows[0], { t: 'é\ufffd', n: 2 });
  });

  it('pings, and fails with DbUnavailableError once closed', async () => {
    await db.ping();
    const other = await openTestDatabase();
    await other.db.close();
    await assert.rejects(other.db.query(sql`select 1`), DbUnavailableError);
    await assert.rejects(other.db.ping(), DbUnavailableError);
    await other.dispose().catch(() => undefined);
  });
});
