import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sql, type Sql } from '../../lib/sql.ts';
import { openTestDatabase, dbKind } from '../../../test/support/db.ts';
import { DbError } from '../../db/errors.ts';
import type { Caller, Database, Row } from '../../db/port.ts';
import { SCHEDULE_EXAMPLES } from './schedule-examples.ts';
import { parseSchedule } from './schedule.ts';

const caller = (role: string): Caller => ({ role, claims: { role }, headers: {}, cookies: {}, method: 'POST', path: '/' });

interface Job {
  jobid: string;
  schedule: string;
  command: string;
  database: string;
  username: string;
  active: boolean;
  jobname: string | null;
}

describe(`cron's SQL API (${dbKind})`, () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Database;
  let me: string;
  // A role like service_role but without BYPASSRLS, to see the row-level security.
  const plain = `cron_user_${randomBytes(4).toString('hex')}`;

  before(async () => {
    t = await openTestDatabase();
    db = t.db;
    me = (await db.query<{ u: string }>(sql`select current_user as u`)).rows[0]?.u ?? '';
    await db.script(`
      create role ${plain} nologin;
      grant usage on schema cron to ${plain};
      grant execute on all functions in schema cron to ${plain};
      grant select, insert, update, delete on cron.job to ${plain};
      grant usage on sequence cron.job_jobid_seq to ${plain};`);
  });
  after(async () => {
    await db.script(`drop owned by ${plain}; drop role ${plain};`);
    await t.dispose();
  });
  beforeEach(() => db.query(sql`truncate cron.job, cron.job_run_details, _groundwork.cron_ticks`));

  const one = async <R extends Row>(q: Sql, role?: string): Promise<R> => {
    const { rows } = role === undefined ? await db.query<R>(q) : await db.transaction((tx) => tx.query<R>(q), { caller: caller(role) });
    assert.ok(rows[0] !== undefined);
    return rows[0];
  };
  const id = async (q: Sql, role?: string) => String((await one<{ id: string }>(sql`select (${q}) as id`, role)).id);
  const jobs = async (role?: string) => {
    const q = sql`select jobid::text, schedule, command, database, username, active, jobname from cron.job order by jobid`;
    return (role === undefined ? await db.query<Job & Row>(q) : await db.transaction((tx) => tx.query<Job & Row>(q), { caller: caller(role) })).rows;
  };
  const fails = async (q: Sql, role?: string): Promise<DbError> => {
    const e = await (role === undefined ? db.query(q) : db.transaction((tx) => tx.query(q), { caller: caller(role) })).catch((x: unknown) => x);
    assert.ok(e instanceof DbError, String(e));
    return e;
  };

  it('checks schedules exactly as parseSchedule does (the shared examples)', async () => {
    for (const ex of SCHEDULE_EXAMPLES) {
      if (ex.valid) {
        const r = await one<{ s: string }>(sql`select _groundwork.cron_check_schedule(${ex.text}) as s`);
        assert.equal(r.s, ex.normalized ?? ex.text, JSON.stringify(ex.text));
      } else {
        const e = await fails(sql`select _groundwork.cron_check_schedule(${ex.text})`);
        assert.equal(e.sqlstate, '22023', JSON.stringify(ex.text));
        assert.equal(e.message, `invalid schedule: ${ex.text}`);
        assert.ok(e.hint !== undefined && e.hint !== '', JSON.stringify(ex.text));
      }
    }
  });

  it('agrees with parseSchedule on random schedules', async () => {
    const pieces = [
      ['*', '0', '5', '59', '*/15', '5/10', '1-5', '60', '5-1', '*/0', 'x', ''],
      ['*', '0', '12', '23', '*/2', '9-17', '24'],
      ['*', '1', '15', '29', '30', '31', '$', '*/10', '32', '$-1', '0'],
      ['*', '1', '2', 'feb', 'Jan-Mar', '4,6', 'dec/2', '13', 'foo'],
      ['*', '0', '7', 'sun', 'mon-fri', '*/2', 'fri-sun', '8', '1#2'],
    ];
    let seed = 7;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * xs.length)] as T;
    const field = (xs: readonly string[]) => (pick([0, 1, 2, 3]) === 0 ? `${pick(xs)},${pick(xs)}` : pick(xs));
    const texts = Array.from({ length: 400 }, () => pieces.map(field).join(pick([' ', '  ', '\t'])));
    await db.script(`create or replace function public.cron_try(s text) returns text language plpgsql as $$
      begin return _groundwork.cron_check_schedule(s); exception when invalid_parameter_value then return null; end $$`);
    const { rows } = await db.query<{ t: string; s: string | null }>(sql`select t, public.cron_try(t) as s from unnest(${texts}::text[]) t`);
    const valid = rows.filter((r) => r.s !== null).length;
    assert.ok(valid > 20 && valid < 380, `a mix of valid (${valid}) and invalid`);
    for (const r of rows) {
      const p = parseSchedule(r.t);
      assert.equal('error' in p ? null : p.text, r.s, JSON.stringify(r.t));
    }
  });

  it('schedules unnamed and named jobs; a name again updates its job', async () => {
    const a = await id(sql`cron.schedule('*/5 * * * *', 'select 1')`);
    const b = await id(sql`cron.schedule('nightly', '0 3 * * *', 'vacuum')`);
    assert.notEqual(a, b);
    const again = await id(sql`cron.schedule('nightly', '  0  4 * * * ', 'vacuum analyze')`);
    assert.equal(again, b);
    const here = (await one<{ d: string }>(sql`select current_database() as d`)).d;
    assert.deepEqual(await jobs(), [
      { jobid: a, schedule: '*/5 * * * *', command: 'select 1', database: here, username: me, active: true, jobname: null },
      { jobid: b, schedule: '0 4 * * *', command: 'vacuum analyze', database: here, username: me, active: true, jobname: 'nightly' },
    ]);
  });

  it('unschedules by id and by name; an unknown job is an error', async () => {
    const a = await id(sql`cron.schedule('* * * * *', 'select 1')`);
    await id(sql`cron.schedule('named', '* * * * *', 'select 2')`);
    assert.deepEqual(await one(sql`select cron.unschedule(${a}::bigint) as ok`), { ok: true });
    assert.deepEqual(await one(sql`select cron.unschedule('named') as ok`), { ok: true });
    assert.deepEqual(await jobs(), []);
    const byId = await fails(sql`select cron.unschedule(${a}::bigint)`);
    assert.equal(byId.sqlstate, 'P0002');
    assert.match(byId.message, /could not find valid entry for job/);
    assert.equal((await fails(sql`select cron.unschedule('named')`)).sqlstate, 'P0002');
  });

  it('alter_job changes only the fields given', async () => {
    const a = await id(sql`cron.schedule('job', '* * * * *', 'select 1')`);
    await db.query(sql`select cron.alter_job(${a}::bigint, schedule => '30 seconds')`);
    await db.query(sql`select cron.alter_job(${a}::bigint, active => false)`);
    const [job] = await jobs();
    assert.deepEqual([job?.schedule, job?.command, job?.active, job?.jobname], ['30 seconds', 'select 1', false, 'job']);
    await db.query(sql`select cron.alter_job(${a}::bigint, command => 'select 2', active => true)`);
    const [changed] = await jobs();
    assert.deepEqual([changed?.schedule, changed?.command, changed?.active], ['30 seconds', 'select 2', true]);
    assert.equal((await fails(sql`select cron.alter_job(0, active => false)`)).sqlstate, 'P0002');
    assert.equal((await fails(sql`select cron.alter_job(${a}::bigint, schedule => '61 * * * *')`)).sqlstate, '22023');
  });

  it('refuses bad schedules and empty commands, also written straight into cron.job', async () => {
    const bad = await fails(sql`select cron.schedule('61 * * * *', 'select 1')`);
    assert.deepEqual([bad.sqlstate, bad.message, bad.hint], ['22023', 'invalid schedule: 61 * * * *', 'minute: 61 is out of range 0-59']);
    assert.equal((await fails(sql`select cron.schedule('@reboot', 'select 1')`)).sqlstate, '22023');
    for (const command of ['', '  ']) {
      const e = await fails(sql`select cron.schedule('* * * * *', ${command})`);
      assert.deepEqual([e.sqlstate, e.message], ['22023', 'command must not be empty']);
    }
    assert.equal((await fails(sql`insert into cron.job (schedule, command) values ('nope', 'select 1')`)).sqlstate, '22023');
    assert.deepEqual(await jobs(), []);
  });

  it('schedule_in_database: only this database; a non-superuser only as themself', async () => {
    const other = await fails(sql`select cron.schedule_in_database('j', '* * * * *', 'select 1', 'elsewhere')`);
    assert.deepEqual([other.sqlstate, other.message], ['22023', 'only the current database is supported']);
    const a = await id(sql`cron.schedule_in_database('j', '* * * * *', 'select 1', current_database(), active => false)`);
    const b = await id(sql`cron.schedule_in_database('j', '* * * * *', 'select 1', current_database(), 'service_role')`);
    assert.notEqual(a, b, 'a name is per user');
    assert.deepEqual((await jobs()).map((j) => [j.username, j.active]), [[me, false], ['service_role', true]]);
    const c = await id(sql`cron.schedule_in_database('k', '@daily', 'select 2', current_database(), null)`, 'service_role');
    assert.equal((await jobs()).find((j) => j.jobid === c)?.username, 'service_role');
    assert.equal((await fails(sql`select cron.schedule_in_database('k', '@daily', 'select 2', current_database(), ${me})`, 'service_role')).sqlstate, '42501');
  });

  it("records the caller's role; others' jobs are not theirs to see or change", async () => {
    const mine = await id(sql`cron.schedule('* * * * *', 'select 1')`);
    const svc = await id(sql`cron.schedule('svc', '* * * * *', 'select 2')`, 'service_role');
    const theirs = await id(sql`cron.schedule('own', '* * * * *', 'select 3')`, plain);
    assert.deepEqual((await jobs()).map((j) => [j.jobid, j.username]), [[mine, me], [svc, 'service_role'], [theirs, plain]]);
    assert.deepEqual((await jobs(plain)).map((j) => j.jobid), [theirs], 'RLS: a role sees its own jobs');
    // service_role has BYPASSRLS (as on Supabase), so it sees every row, but still may not
    // change or remove another role's job, through the API or directly.
    assert.equal((await jobs('service_role')).length, 3);
    assert.equal((await fails(sql`select cron.unschedule(${mine}::bigint)`, 'service_role')).sqlstate, 'P0002');
    assert.equal((await fails(sql`select cron.alter_job(${mine}::bigint, command => 'drop table x')`, 'service_role')).sqlstate, 'P0002');
    assert.equal((await fails(sql`update cron.job set command = 'drop table x' where jobid = ${mine}`, 'service_role')).sqlstate, '42501');
    assert.equal((await fails(sql`update cron.job set username = ${me} where jobid = ${svc}`, 'service_role')).sqlstate, '42501');
    assert.equal((await fails(sql`delete from cron.job where jobid = ${mine}`, 'service_role')).sqlstate, '42501');
    assert.equal((await fails(sql`select cron.unschedule(${svc}::bigint)`, plain)).sqlstate, 'P0002');
    assert.deepEqual(await one(sql`select cron.unschedule(${svc}::bigint) as ok`, 'service_role'), { ok: true });
    assert.deepEqual(await one(sql`select cron.unschedule(${theirs}::bigint) as ok`), { ok: true }, 'a superuser may');
  });

  it('anon and authenticated may not use cron', async () => {
    for (const role of ['anon', 'authenticated']) {
      assert.equal((await fails(sql`select cron.schedule('* * * * *', 'select 1')`, role)).sqlstate, '42501', role);
      assert.equal((await fails(sql`select * from cron.job`, role)).sqlstate, '42501', role);
    }
  });

  it('claims a tick once', async () => {
    const claim = () => db.query(sql`insert into _groundwork.cron_ticks (jobid, tick_at) values (7, '2026-03-10T12:00:00Z') on conflict do nothing returning jobid`);
    assert.equal((await claim()).rows.length, 1);
    assert.equal((await claim()).rows.length, 0);
  });

  it('notifies groundwork_cron when jobs change, after commit', async () => {
    const got: string[] = [];
    const unlisten = await db.listen('groundwork_cron', (p) => got.push(p));
    try {
      await db.transaction((tx) => tx.query(sql`select cron.schedule('* * * * *', 'select 1')`), { rollback: true });
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(got, [], 'nothing for a rolled-back change');
      await id(sql`cron.schedule('* * * * *', 'select 1')`);
      for (let i = 0; i < 100 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(got, ['']);
    } finally {
      await unlisten();
    }
  });

  it('has the tables and indexes pg_cron users query', async () => {
    const { rows } = await db.query<{ i: string }>(sql`select indexname as i from pg_indexes where schemaname = 'cron' order by 1`);
    assert.deepEqual(rows.map((r) => r.i), ['job_pkey', 'job_run_details_end_time_idx', 'job_run_details_jobid_start_idx', 'job_run_details_pkey', 'jobname_username_uniq']);
  });
});
