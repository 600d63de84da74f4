// Statement timeouts and callers who leave, on both adapters: a transaction past its
// deadline fails with 57014 and the database serves the next caller (on PGlite, after its
// worker restarted); on the embedded database a caller whose signal fires gives up its
// place in the queue, or has its running transaction stopped.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from '../lib/sql.ts';
import { AbortedWhileWaiting } from '../lib/mutex.ts';
import { dbKind, openTestDatabase } from '../../test/support/db.ts';
import { DbError } from './errors.ts';
import type { Database } from './port.ts';

const sqlstate = (e: unknown) => (e instanceof DbError ? e.sqlstate : String(e));

describe(`statement timeouts (${dbKind})`, () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Database;
  before(async () => {
    t = await openTestDatabase();
    db = t.db;
    await db.script('create table public.marks (id int primary key)');
  });
  after(() => t.dispose());

  it('stops a pipeline past its deadline with 57014 and keeps serving', async () => {
    const started = performance.now();
    const failure = await db.pipeline([sql`insert into public.marks values (1)`, sql`select pg_sleep(5)`], { statementTimeoutMs: 300 }).catch((e: unknown) => e);
    assert.equal(sqlstate(failure), '57014');
    assert.ok(performance.now() - started < 4000, `stopped after ${Math.round(performance.now() - started)} ms`);
    assert.deepEqual((await db.query(sql`select count(*)::int as n from public.marks`)).rows, [{ n: 0 }], 'its write was undone');
  });

  it('stops a transaction past its deadline with 57014', async () => {
    const failure = await db
      .transaction(
        async (tx) => {
          await tx.query(sql`insert into public.marks values (2)`);
          await tx.query(sql`select pg_sleep(5)`);
        },
        { statementTimeoutMs: 300 },
      )
      .catch((e: unknown) => e);
    assert.equal(sqlstate(failure), '57014');
    assert.deepEqual((await db.query(sql`select count(*)::int as n from public.marks`)).rows, [{ n: 0 }]);
  });

  it('lets work within its deadline finish and commit', async () => {
    await db.pipeline([sql`insert into public.marks values (3)`, sql`select pg_sleep(0.05)`], { statementTimeoutMs: 2000 });
    assert.deepEqual((await db.query(sql`select id from public.marks`)).rows, [{ id: 3 }]);
  });

  if (dbKind === 'pglite') {
    it('reports the session busy while a transaction holds it, without waiting for it', async () => {
      const running = db.pipeline([sql`select pg_sleep(0.4)`]);
      await new Promise((r) => setTimeout(r, 100));
      const busy = db.activity?.();
      assert.ok(busy !== undefined && busy.busyMs >= 50, JSON.stringify(busy));
      await running;
      assert.deepEqual(db.activity?.(), { busyMs: 0, waiting: 0 });
    });

    it('drops a queued transaction whose caller left, and stops a running one', async () => {
      const running = new AbortController();
      const first = db.pipeline([sql`select pg_sleep(5)`], { signal: running.signal }).catch((e: unknown) => e);
      const queued = new AbortController();
      let ran = false;
      const second = db
        .transaction(
          async () => {
            ran = true;
          },
          { signal: queued.signal },
        )
        .catch((e: unknown) => e);
      await new Promise((r) => setTimeout(r, 100));
      queued.abort();
      assert.ok((await second) instanceof AbortedWhileWaiting);
      const started = performance.now();
      running.abort();
      assert.equal(sqlstate(await first), '57014');
      assert.ok(performance.now() - started < 4000);
      assert.equal(ran, false);
      assert.deepEqual((await db.query(sql`select 1 as one`)).rows, [{ one: 1 }]);
    });

    it('runs the writes queued behind a stopped one, each once', async () => {
      await db.script('create table public.queued_marks (id int primary key)');
      const slow = db.pipeline([sql`select pg_sleep(5)`], { statementTimeoutMs: 300 }).catch((e: unknown) => e);
      const writes = Array.from({ length: 20 }, (_, i) => db.pipeline([sql`insert into public.queued_marks values (${i})`], { statementTimeoutMs: 5000 }));
      // Posted to the worker behind the slow one, not waiting for their turn to post.
      assert.equal(db.activity?.().waiting, 20);
      assert.equal(sqlstate(await slow), '57014');
      await Promise.all(writes);
      assert.deepEqual((await db.query(sql`select count(*)::int as n from public.queued_marks`)).rows, [{ n: 20 }]);
    });

    it('never runs a write posted ahead whose caller left before it started', async () => {
      const slow = db.pipeline([sql`select pg_sleep(0.3)`]);
      const left = new AbortController();
      const write = db.pipeline([sql`insert into public.queued_marks values (100)`], { signal: left.signal }).catch((e: unknown) => e);
      const after = db.pipeline([sql`insert into public.queued_marks values (101)`]);
      left.abort();
      assert.ok((await write) instanceof AbortedWhileWaiting);
      await Promise.all([slow, after]);
      assert.deepEqual((await db.query(sql`select id from public.queued_marks where id >= 100`)).rows, [{ id: 101 }]);
    });

    it('listens again after a restart', async () => {
      const got: string[] = [];
      let relistened = 0;
      const unlisten = await db.listen('after_restart', (p) => got.push(p), () => relistened++);
      await db.pipeline([sql`select pg_sleep(5)`], { statementTimeoutMs: 100 }).catch(() => undefined);
      await db.query(sql`select 1`); // queued behind the restart
      assert.equal(relistened, 1);
      await db.query(sql`select pg_notify('after_restart', 'hello')`);
      for (let i = 0; i < 50 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(got, ['hello']);
      await unlisten();
    });
  }
});
