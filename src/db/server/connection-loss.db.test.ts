// Server adapter: a connection PostgreSQL drops in the middle of a transaction or pipeline
// settles that work with DbUnavailableError, never with an uncaught exception, and the pool
// goes on serving. postgres.js needed a patch for this (patches/postgres+*.patch): a held
// connection that closed was written to from a timer, and a reservation made while the
// pool reconnected was never answered.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import postgres from 'postgres';
import { sql } from '../../lib/sql.ts';
import { createTestDatabase, dbKind, quiet, type TestDatabase } from '../../../test/support/db.ts';
import { DbUnavailableError } from '../errors.ts';
import type { Database } from '../port.ts';
import { openServerDatabase, reconnectDelay } from './adapter.ts';

describe('reconnect delay', () => {
  it('stays under a quarter second however many attempts failed', () => {
    for (const retries of [0, 1, 5, 20, 1000]) {
      const d = reconnectDelay(retries);
      assert.ok(d >= 0 && d <= 0.25, `${retries} → ${d}`);
    }
  });
});

if (dbKind === 'postgres') {
  describe('server adapter: connection loss', () => {
    let t: TestDatabase;
    let db: Database;
    let admin: postgres.Sql;
    const kill = (pid: number) => admin.unsafe('select pg_terminate_backend($1)', [pid]);
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

    before(async () => {
      t = await createTestDatabase();
      const url = t.url ?? '';
      db = openServerDatabase({ url, poolSize: 2, connectTimeoutSeconds: 5 });
      admin = postgres(url, { max: 1, onnotice: quiet });
    });
    after(async () => {
      await db.close();
      await admin.end();
      await t.dispose();
    });

    it('a transaction whose connection was terminated while it waited fails with DbUnavailableError', async () => {
      const failure = await db
        .transaction(async (tx) => {
          const { rows } = await tx.query<{ pid: number }>(sql`select pg_backend_pid() as pid`);
          await kill(rows[0]?.pid ?? 0);
          await sleep(100); // the close arrives while no statement is pending
          await tx.query(sql`select 1`);
        })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      assert.ok(failure instanceof DbUnavailableError, String(failure));
      assert.deepEqual((await db.query(sql`select 1 as one`)).rows, [{ one: 1 }]);
    });

    it('a pipeline whose connection is terminated mid-flight fails with DbUnavailableError and the pool heals', async () => {
      // pg_sleep keeps the pipeline on the server while its backend is terminated.
      const pending = db.pipeline([sql`select pg_sleep(0.3)`, sql`select pg_backend_pid() as pid`]).then(
        () => undefined,
        (e: unknown) => e,
      );
      await sleep(100);
      const busy = await admin.unsafe<Array<{ pid: number }>>(
        "select pid from pg_stat_activity where datname = current_database() and query like 'select pg_sleep%' and pid <> pg_backend_pid()",
      );
      for (const r of busy) await kill(r.pid);
      const failure = await pending;
      assert.ok(failure instanceof DbUnavailableError, String(failure));
      assert.equal(busy.length, 1, 'the pipeline was running');
      // Both pool connections serve again, the terminated one reconnected.
      const again = await Promise.all([1, 2, 3, 4].map(() => db.pipeline([sql`select 1 as one`])));
      assert.deepEqual(again.map((r) => r[0]?.rows), [[{ one: 1 }], [{ one: 1 }], [{ one: 1 }], [{ one: 1 }]]);
    });

    it('settles work handed to a connection the server had just closed, and reconnects at once', async () => {
      // Work written to a socket whose close was not yet seen used to stay buffered and lead
      // the reconnect's startup message, which then never went out: that connection hung
      // until the connect timeout. To hit the window, terminate a busy connection and the
      // idle one together, and hand out work the moment the busy one's failure arrives.
      const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<'hung'>((r) => setTimeout(r, ms, 'hung').unref())]);
      for (let round = 0; round < 60; round++) {
        await Promise.all([db.query(sql`select pg_sleep(0.01)`), db.query(sql`select pg_sleep(0.01)`)]); // both connections open
        const followUp = db.query(sql`select pg_sleep(5)`).then(
          () => [],
          () => [db.query(sql`select 1`), db.pipeline([sql`select 2`]), db.transaction((tx) => tx.query(sql`select 3`))],
        );
        let pids: number[] = [];
        for (let i = 0; i < 100 && pids.length === 0; i++) {
          await sleep(5);
          const rows = await admin.unsafe<Array<{ pid: number }>>(
            "select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() order by query like 'select pg_sleep(5%' desc",
          );
          if (rows[0] !== undefined && rows.length === 2) pids = rows.map((r) => r.pid);
        }
        await admin.unsafe('select pg_terminate_backend(pid) from unnest($1::int[]) with ordinality as k(pid, n) order by n', [pids]);
        const settled = await within(followUp.then((work) => Promise.allSettled(work)), 2500);
        assert.notEqual(settled, 'hung', `round ${round}: work on the closed connection never settled`);
        for (const r of settled === 'hung' ? [] : settled) assert.ok(r.status === 'fulfilled' || r.reason instanceof DbUnavailableError, String(r.status === 'rejected' && r.reason));
      }
    });

    it('waits out an outage: work during it fails fast, work after it succeeds', async () => {
      // Terminate every connection of the pool at once, then use it immediately.
      await admin.unsafe("select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()");
      const started = performance.now();
      const results = await Promise.allSettled(Array.from({ length: 8 }, () => db.pipeline([sql`select 1 as one`])));
      assert.ok(performance.now() - started < 2000);
      assert.ok(results.every((r) => r.status === 'fulfilled' || r.reason instanceof DbUnavailableError));
      assert.deepEqual((await db.pipeline([sql`select 1 as one`]))[0]?.rows, [{ one: 1 }]);
    });
  });
}
