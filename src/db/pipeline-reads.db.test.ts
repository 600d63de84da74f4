// Read-only pipelines (every REST GET) on both adapters. On PGlite they run as one exchange
// with prepared statements kept in the session (src/db/embedded/prepared-pipeline.ts), so
// these hold that path to what query() answers, and to staying right when the session's
// statements go away or a table's row type changes under a kept statement.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from '../lib/sql.ts';
import { dbKind, openTestDatabase } from '../../test/support/db.ts';
import { DbError } from './errors.ts';
import type { Database, TransactionOptions } from './port.ts';

const read: TransactionOptions = {
  readOnly: true,
  caller: { role: 'postgres', claims: { role: 'postgres' }, headers: {}, cookies: {}, method: 'GET', path: '/rest/v1/things' },
};

describe(`read-only pipelines (${dbKind})`, () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Database;
  before(async () => {
    t = await openTestDatabase();
    db = t.db;
    await db.script(`
      create table public.things (id int primary key, name text, meta jsonb, ok boolean, at timestamptz, price numeric);
      insert into public.things values (1, 'one', '{"a":[1,2]}', true, '2026-01-02T03:04:05Z', 1.50), (2, null, null, false, null, null);`);
  });
  after(() => t.dispose());

  const things = sql`select * from public.things where id >= ${1} and coalesce(name, ${'-'}) <> ${'x'} order by id`;

  it('answers what query() answers, types included, and again once the statements are kept', async () => {
    const direct = await db.query(things);
    for (let i = 0; i < 3; i++) {
      const [result] = await db.pipeline([things], read);
      assert.deepEqual(result?.rows, direct.rows);
      assert.equal(result?.rowCount, 2);
    }
  });

  it('takes values whose text depends on their type (an array) the other way, with the same answer', async () => {
    const [result] = await db.pipeline([sql`select id from public.things where id = any(${[1, 2]}::int[]) order by id`], read);
    assert.deepEqual(result?.rows, [{ id: 1 }, { id: 2 }]);
  });

  it('reports a failing statement with its SQLSTATE and leaves the session usable', async () => {
    const failure = await db.pipeline([sql`select 1 / ${0}::int as x`], read).catch((e: unknown) => e);
    assert.ok(failure instanceof DbError && failure.sqlstate === '22012', String(failure));
    const [again] = await db.pipeline([things], read);
    assert.equal(again?.rowCount, 2);
  });

  it('still answers after the session lost its prepared statements (DEALLOCATE ALL)', async () => {
    await db.pipeline([things], read);
    await db.script('deallocate all');
    const [result] = await db.pipeline([things], read);
    assert.equal(result?.rowCount, 2);
  });

  it("still answers after DDL changed a kept statement's row type", async () => {
    await db.pipeline([things], read);
    await db.script('alter table public.things add column extra text');
    const [result] = await db.pipeline([things], read);
    assert.equal(result?.rows[0]?.['extra'], null);
    assert.ok(result !== undefined && 'extra' in (result.rows[0] ?? {}));
  });
});
