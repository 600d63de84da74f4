import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Sql } from '../../lib/sql.ts';
import { DbError } from '../../db/errors.ts';
import { openTestDatabase, dbKind } from '../../../test/support/db.ts';
import type { Caller, Database, Queryable, Row } from '../../db/port.ts';

// pgmq's SQL API as bootstrap v13 defines it (src/bootstrap/steps/v13-pgmq.ts), on both
// databases. Each test uses its own queues, so they do not see one another's messages.
describe(`pgmq queues (${dbKind})`, () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Database;
  before(async () => {
    t = await openTestDatabase();
    db = t.db;
  });
  after(() => t.dispose());

  const rows = async <R extends Row = Row>(q: Sql, on: Queryable = db) => (await on.query<R>(q)).rows;
  const one = async <R extends Row = Row>(q: Sql, on: Queryable = db) => (await rows<R>(q, on))[0];
  const ids = async (q: Sql, on: Queryable = db) => (await rows(q, on)).map((r) => Number(Object.values(r)[0]));
  const create = (name: string) => db.query(sql`select pgmq.create(${name})`);
  const send = async (queue: string, message: unknown, delay = 0) =>
    Number((await one(sql`select * from pgmq.send(${queue}, ${JSON.stringify(message)}::jsonb, ${delay}::integer) as id`))?.['id']);
  const read = async (queue: string, vt: number, qty: number, on: Queryable = db) =>
    rows<{ msg_id: string; read_ct: number; message: Record<string, unknown> | null; headers: Record<string, unknown> | null }>(
      sql`select * from pgmq.read(${queue}, ${vt}::integer, ${qty}::integer)`,
      on,
    );
  const msgIds = (rs: ReadonlyArray<{ msg_id: string }>) => rs.map((r) => Number(r.msg_id));
  const caller = (role: string): Caller => ({ role, claims: { role }, headers: {}, cookies: {}, method: 'POST', path: '/' });
  const as = <T,>(role: string, work: (tx: Queryable) => Promise<T>) => db.transaction(work, { caller: caller(role) });
  const failure = async (p: Promise<unknown>): Promise<DbError> => {
    const e = await p.then(
      () => undefined,
      (x: unknown) => x,
    );
    assert.ok(e instanceof DbError, `expected a DbError, got ${String(e)}`);
    return e;
  };

  it('creates queues idempotently (lower-casing the name), lists them and drops them', async () => {
    await create('Orders');
    await create('orders');
    await db.query(sql`select pgmq.create_unlogged('scratch')`);
    const listed = await rows(sql`select queue_name, is_partitioned, is_unlogged, created_at is not null as dated from pgmq.list_queues()
      where queue_name in ('orders', 'scratch') order by queue_name`);
    assert.deepEqual(listed, [
      { queue_name: 'orders', is_partitioned: false, is_unlogged: false, dated: true },
      { queue_name: 'scratch', is_partitioned: false, is_unlogged: true, dated: true },
    ]);
    const tables = await rows(sql`select relname, relpersistence from pg_class
      where relnamespace = 'pgmq'::regnamespace and relkind = 'r' and relname in ('q_orders', 'a_orders', 'q_scratch', 'a_scratch') order by relname`);
    assert.deepEqual(tables, [
      { relname: 'a_orders', relpersistence: 'p' },
      { relname: 'a_scratch', relpersistence: 'p' },
      { relname: 'q_orders', relpersistence: 'p' },
      { relname: 'q_scratch', relpersistence: 'u' },
    ]);
    const vtIndex = await one(sql`select count(*)::int as n from pg_indexes where schemaname = 'pgmq' and tablename = 'q_orders' and indexdef like '%(vt)%'`);
    assert.deepEqual(vtIndex, { n: 1 });
    const granted = await one(sql`select has_table_privilege('service_role', 'pgmq.q_orders', 'select, insert, update, delete') as service,
      has_table_privilege('service_role', 'pgmq.a_orders', 'insert') as archive,
      has_table_privilege('authenticated', 'pgmq.q_orders', 'select') or has_table_privilege('authenticated', 'pgmq.q_orders', 'insert') as authed,
      has_table_privilege('anon', 'pgmq.q_orders', 'select') as anon`);
    assert.deepEqual(granted, { service: true, archive: true, authed: false, anon: false });

    assert.deepEqual(await one(sql`select pgmq.drop_queue('orders') as dropped`), { dropped: true });
    assert.deepEqual(await one(sql`select pgmq.drop_queue('orders') as dropped`), { dropped: false }, 'a missing queue: false');
    assert.deepEqual(await one(sql`select to_regclass('pgmq.q_orders') is null and to_regclass('pgmq.a_orders') is null as gone`), { gone: true });
    assert.deepEqual(await rows(sql`select queue_name from pgmq.list_queues() where queue_name = 'orders'`), []);
    assert.deepEqual(await one(sql`select pgmq.drop_queue('scratch') as dropped`), { dropped: true });
  });

  it('refuses malformed queue names with 22023', async () => {
    await create('x'.repeat(47));
    const cases: ReadonlyArray<readonly [string, Sql]> = [
      ['empty', sql`select pgmq.create('')`],
      ['48 characters', sql`select pgmq.create(${'x'.repeat(48)})`],
      ['hyphen', sql`select pgmq.create('a-b')`],
      ['space', sql`select pgmq.create('a b')`],
      ['quote', sql`select pgmq.create(${"a'; drop table pgmq.meta; --"})`],
      ['double quote', sql`select pgmq.create('a"b')`],
      ['dot', sql`select * from pgmq.send('pgmq.meta', '{}'::jsonb)`],
      ['null', sql`select * from pgmq.read(null, 1, 1)`],
    ];
    for (const [name, q] of cases) {
      const e = await failure(db.query(q));
      assert.equal(e.sqlstate, '22023', name);
      assert.match(e.message, /^invalid queue name: /, name);
    }
    assert.equal((await failure(db.query(sql`select pgmq.create('a-b')`))).message, 'invalid queue name: a-b');
  });

  it("answers a call on a queue that does not exist with 42P01 and the queue's name", async () => {
    const cases: readonly Sql[] = [
      sql`select * from pgmq.send('nope', '{}'::jsonb)`,
      sql`select * from pgmq.send_batch('nope', array['{}'::jsonb])`,
      sql`select * from pgmq.read('nope', 10, 1)`,
      sql`select * from pgmq.read_with_poll('nope', 10, 1, 1)`,
      sql`select * from pgmq.pop('nope')`,
      sql`select pgmq.archive('nope', 1::bigint)`,
      sql`select pgmq.delete('nope', 1::bigint)`,
      sql`select * from pgmq.delete('nope', array[1::bigint])`,
      sql`select * from pgmq.set_vt('nope', 1, 10)`,
      sql`select * from pgmq.metrics('nope')`,
      sql`select pgmq.purge_queue('nope')`,
      sql`select pgmq.set_retry_limit('nope', 3)`,
      sql`select * from pgmq_public.send('Nope', '{}'::jsonb)`,
    ];
    for (const q of cases) {
      const e = await failure(db.query(q));
      assert.equal(e.sqlstate, '42P01');
      assert.equal(e.message, 'queue "nope" does not exist');
    }
  });

  it('sends with a delay (invisible until then), with headers, and at a given time', async () => {
    await create('mail');
    const now = await send('mail', { n: 1 });
    const later = await send('mail', { n: 2 }, 60);
    const withHeaders = Number((await one(sql`select * from pgmq.send('mail', '{"n":3}'::jsonb, '{"trace":"t1"}'::jsonb) as id`))?.['id']);
    const headersLater = Number((await one(sql`select * from pgmq.send('mail', '{"n":4}'::jsonb, '{"trace":"t2"}'::jsonb, 60) as id`))?.['id']);
    const at = Number((await one(sql`select * from pgmq.send('mail', '{"n":5}'::jsonb, now() + interval '1 hour') as id`))?.['id']);
    const atHeaders = Number((await one(sql`select * from pgmq.send('mail', '{"n":6}'::jsonb, '{"trace":"t3"}'::jsonb, now() - interval '1 second') as id`))?.['id']);
    assert.deepEqual([now, later, withHeaders, headersLater, at, atHeaders], [1, 2, 3, 4, 5, 6]);
    const visible = await read('mail', 30, 10);
    assert.deepEqual(visible.map((m) => [Number(m.msg_id), m.message, m.headers]), [
      [1, { n: 1 }, null],
      [3, { n: 3 }, { trace: 't1' }],
      [6, { n: 6 }, { trace: 't3' }],
    ]);
    const delays = await rows(sql`select msg_id::int as id, round(extract(epoch from vt - enqueued_at) / 60)::int as minutes, headers
      from pgmq.q_mail where msg_id in (2, 4, 5) order by msg_id`);
    assert.deepEqual(delays, [
      { id: 2, minutes: 1, headers: null },
      { id: 4, minutes: 1, headers: { trace: 't2' } },
      { id: 5, minutes: 60, headers: null },
    ]);
  });

  it('sends batches in order, with headers by position, delayed or at a time', async () => {
    await create('batch');
    const first = await ids(sql`select * from pgmq.send_batch('batch', array['{"n":1}', '{"n":2}', '{"n":3}']::jsonb[])`);
    assert.deepEqual(first, [1, 2, 3]);
    const withHeaders = await ids(sql`select * from pgmq.send_batch('batch', array['{"n":4}', '{"n":5}']::jsonb[], array['{"h":4}', '{"h":5}']::jsonb[])`);
    assert.deepEqual(withHeaders, [4, 5]);
    assert.deepEqual(await ids(sql`select * from pgmq.send_batch('batch', array['{"n":6}']::jsonb[], 60)`), [6]);
    assert.deepEqual(await ids(sql`select * from pgmq.send_batch('batch', array['{"n":7}']::jsonb[], now() + interval '1 minute')`), [7]);
    assert.deepEqual(await ids(sql`select * from pgmq.send_batch('batch', array['{"n":8}']::jsonb[], array['{"h":8}']::jsonb[], now() + interval '1 minute')`), [8]);
    const e = await failure(db.query(sql`select * from pgmq.send_batch('batch', array['{}', '{}']::jsonb[], array['{}']::jsonb[])`));
    assert.equal(e.sqlstate, '22023');
    const visible = await read('batch', 30, 10);
    assert.deepEqual(visible.map((m) => [Number(m.msg_id), m.message, m.headers]), [
      [1, { n: 1 }, null],
      [2, { n: 2 }, null],
      [3, { n: 3 }, null],
      [4, { n: 4 }, { h: 4 }],
      [5, { n: 5 }, { h: 5 }],
    ]);
  });

  it('reads oldest first, up to qty, hiding what it read for vt seconds and counting reads', async () => {
    await create('work');
    for (let i = 1; i <= 5; i++) await send('work', { i, kind: i % 2 === 0 ? 'even' : 'odd' });
    const cases: ReadonlyArray<readonly [string, number, number, number[]]> = [
      // [what, vt, qty, expected msg_ids]
      ['two oldest, hidden 30 s', 30, 2, [1, 2]],
      ['the next one, visible again at once', 0, 1, [3]],
      ['what is visible: 3 again, then 4 and 5', 30, 10, [3, 4, 5]],
      ['nothing left visible', 30, 10, []],
    ];
    for (const [what, vt, qty, expected] of cases) assert.deepEqual(msgIds(await read('work', vt, qty)), expected, what);
    const state = await rows(sql`select msg_id::int as id, read_ct, last_read_at is not null as read,
        vt > clock_timestamp() + interval '20 seconds' as hidden from pgmq.q_work order by msg_id`);
    assert.deepEqual(state, [
      { id: 1, read_ct: 1, read: true, hidden: true },
      { id: 2, read_ct: 1, read: true, hidden: true },
      { id: 3, read_ct: 2, read: true, hidden: true },
      { id: 4, read_ct: 1, read: true, hidden: true },
      { id: 5, read_ct: 1, read: true, hidden: true },
    ]);
    const returned = await rows(sql`select msg_id::int as id, read_ct, enqueued_at is not null as enqueued, last_read_at is not null as last_read,
        vt > clock_timestamp() as hidden, message from pgmq.set_vt('work', 2, 0)`);
    assert.deepEqual(returned, [{ id: 2, read_ct: 1, enqueued: true, last_read: true, hidden: false, message: { i: 2, kind: 'even' } }]);
    await db.query(sql`update pgmq.q_work set vt = now() - interval '1 second'`);
    const conditional = await rows<{ msg_id: string }>(sql`select * from pgmq.read('work', 30, 10, '{"kind":"even"}'::jsonb)`);
    assert.deepEqual(msgIds(conditional), [2, 4], 'only messages containing the condition');
    assert.deepEqual(msgIds(await read('work', 30, 10)), [1, 3, 5]);
  });

  it('reads a null message under the default condition, as pgmq does', async () => {
    await create('nulls');
    await db.query(sql`select pgmq.send('nulls', null::jsonb)`);
    assert.deepEqual((await read('nulls', 30, 1)).map((m) => [Number(m.msg_id), m.message]), [[1, null]]);
  });

  it('never gives one message to two concurrent reads', async () => {
    await create('race');
    await db.query(sql`select pgmq.send_batch('race', array_agg(jsonb_build_object('i', i))) from generate_series(1, 40) as i`);
    const batches = await Promise.all([1, 2, 3, 4].map(() => db.transaction((tx) => read('race', 30, 15, tx))));
    const all = batches.flatMap(msgIds);
    assert.equal(all.length, 40);
    assert.equal(new Set(all).size, 40);
  });

  it('on a server, skips the messages another open transaction is reading instead of waiting', { skip: dbKind !== 'postgres' }, async () => {
    await create('held');
    await db.query(sql`select pgmq.send_batch('held', array['{}', '{}', '{}', '{}']::jsonb[])`);
    const [mine, theirs] = await db.transaction(async (tx) => {
      const first = msgIds(await read('held', 30, 2, tx));
      return [first, msgIds(await read('held', 30, 10))];
    });
    assert.deepEqual([mine, theirs], [
      [1, 2],
      [3, 4],
    ]);
  });

  it('pops: reads and deletes, oldest first, one by default', async () => {
    await create('popq');
    for (let i = 1; i <= 4; i++) await send('popq', { i });
    await send('popq', { i: 5 }, 60);
    assert.deepEqual(msgIds(await rows<{ msg_id: string }>(sql`select * from pgmq.pop('popq')`)), [1]);
    assert.deepEqual(msgIds(await rows<{ msg_id: string }>(sql`select * from pgmq.pop('popq', 2)`)), [2, 3]);
    assert.deepEqual(msgIds(await rows<{ msg_id: string }>(sql`select * from pgmq.pop('popq', 10)`)), [4], 'not the delayed one');
    assert.deepEqual(await ids(sql`select msg_id from pgmq.q_popq`), [5]);
  });

  it('archives and deletes, one message or several, saying what it did', async () => {
    await create('settle');
    for (let i = 1; i <= 6; i++) await send('settle', { i });
    await read('settle', 30, 1);
    const cases: ReadonlyArray<readonly [string, Sql, unknown]> = [
      ['archive one', sql`select pgmq.archive('settle', 1::bigint) as r`, [{ r: true }]],
      ['archive it again', sql`select pgmq.archive('settle', 1::bigint) as r`, [{ r: false }]],
      ['archive several, missing ones left out', sql`select r::int from pgmq.archive('settle', array[2, 3, 99]::bigint[]) as r order by 1`, [{ r: 2 }, { r: 3 }]],
      ['delete one', sql`select pgmq.delete('settle', 4::bigint) as r`, [{ r: true }]],
      ['delete a missing one', sql`select pgmq.delete('settle', 4::bigint) as r`, [{ r: false }]],
      ['delete several', sql`select r::int from pgmq.delete('settle', array[5, 6, 1]::bigint[]) as r order by 1`, [{ r: 5 }, { r: 6 }]],
    ];
    for (const [what, q, expected] of cases) assert.deepEqual(await rows(q), expected, what);
    assert.deepEqual(await rows(sql`select msg_id from pgmq.q_settle`), []);
    const archived = await rows(sql`select msg_id::int as id, read_ct, message, archived_at is not null as archived, enqueued_at is not null as enqueued
      from pgmq.a_settle order by msg_id`);
    assert.deepEqual(archived, [
      { id: 1, read_ct: 1, message: { i: 1 }, archived: true, enqueued: true },
      { id: 2, read_ct: 0, message: { i: 2 }, archived: true, enqueued: true },
      { id: 3, read_ct: 0, message: { i: 3 }, archived: true, enqueued: true },
    ]);
  });

  it('sets a visibility timeout, and returns nothing for a missing message', async () => {
    await create('vtq');
    const id = await send('vtq', { a: 1 });
    await db.query(sql`select * from pgmq.set_vt('vtq', ${id}, 60)`);
    assert.deepEqual(await read('vtq', 30, 1), []);
    assert.deepEqual(msgIds(await rows<{ msg_id: string }>(sql`select * from pgmq.set_vt('vtq', ${id}, 0)`)), [id]);
    assert.deepEqual(msgIds(await read('vtq', 30, 1)), [id]);
    assert.deepEqual(await rows(sql`select * from pgmq.set_vt('vtq', 999, 0)`), []);
  });

  it('measures a queue, and all of them', async () => {
    await create('gauge');
    await create('gauge_empty');
    await send('gauge', { a: 1 });
    await send('gauge', { a: 2 });
    await send('gauge', { a: 3 }, 60);
    await db.query(sql`update pgmq.q_gauge set enqueued_at = now() - interval '100 seconds' where msg_id = 1`);
    await db.query(sql`select pgmq.delete('gauge', 2::bigint)`);
    const m = await one(sql`select queue_name, queue_length::int, newest_msg_age_sec between 0 and 5 as newest_ok, oldest_msg_age_sec between 99 and 110 as oldest_ok,
        total_messages::int, scrape_time is not null as scraped, queue_visible_length::int from pgmq.metrics('gauge')`);
    assert.deepEqual(m, { queue_name: 'gauge', queue_length: 2, newest_ok: true, oldest_ok: true, total_messages: 3, scraped: true, queue_visible_length: 1 });
    const empty = await one(sql`select queue_length::int, newest_msg_age_sec, oldest_msg_age_sec, total_messages::int, queue_visible_length::int from pgmq.metrics('gauge_empty')`);
    assert.deepEqual(empty, { queue_length: 0, newest_msg_age_sec: null, oldest_msg_age_sec: null, total_messages: 0, queue_visible_length: 0 });
    const all = await rows(sql`select queue_name, queue_length::int from pgmq.metrics_all() where queue_name like 'gauge%' order by queue_name`);
    assert.deepEqual(all, [
      { queue_name: 'gauge', queue_length: 2 },
      { queue_name: 'gauge_empty', queue_length: 0 },
    ]);
    const shape = await rows(sql`select a.attname, format_type(a.atttypid, a.atttypmod) as type from pg_attribute a
      where a.attrelid = (select typrelid from pg_type where oid = 'pgmq.metrics_result'::regtype) and a.attnum > 0 order by a.attnum`);
    assert.deepEqual(shape.map((r) => `${String(r['attname'])} ${String(r['type'])}`), [
      'queue_name text', 'queue_length bigint', 'newest_msg_age_sec integer', 'oldest_msg_age_sec integer',
      'total_messages bigint', 'scrape_time timestamp with time zone', 'queue_visible_length bigint',
    ]);
  });

  it('purges a queue, returning how many messages it deleted', async () => {
    await create('purge');
    await db.query(sql`select pgmq.send_batch('purge', array['{}', '{}', '{}']::jsonb[])`);
    await read('purge', 30, 1);
    assert.deepEqual(await one(sql`select pgmq.purge_queue('purge')::int as n`), { n: 3 });
    assert.deepEqual(await one(sql`select pgmq.purge_queue('purge')::int as n`), { n: 0 });
  });

  it('reads with polling: returns what is there, and gives up on an empty queue in time', async () => {
    await create('poll');
    await send('poll', { a: 1 });
    const got = await rows<{ msg_id: string }>(sql`select * from pgmq.read_with_poll('poll', 30, 5, 2, 50)`);
    assert.deepEqual(msgIds(got), [1]);
    const started = Date.now();
    assert.deepEqual(await rows(sql`select * from pgmq.read_with_poll('poll', 30, 5, 1, 100)`), []);
    const took = Date.now() - started;
    // On PGlite nothing could arrive while it waited (one session): it returns at once.
    if (dbKind === 'pglite') assert.ok(took < 900, `took ${took} ms`);
    else assert.ok(took >= 900 && took < 2000, `took ${took} ms`);
  });

  it('on a server, hands out a message sent while it polls', { skip: dbKind !== 'postgres' }, async () => {
    await create('poll_live');
    const started = Date.now();
    const polling = rows<{ msg_id: string }>(sql`select * from pgmq.read_with_poll('poll_live', 30, 1, 3, 50)`);
    await new Promise((r) => setTimeout(r, 300));
    await send('poll_live', { late: true });
    assert.deepEqual(msgIds(await polling), [1]);
    assert.ok(Date.now() - started < 2000);
  });

  it('moves a message that used up its reads to the dead-letter queue, with an x-dead-letter header', async () => {
    await create('retry');
    await db.query(sql`select pgmq.set_retry_limit('retry', 2)`);
    assert.deepEqual(await one(sql`select max_reads, dead_letter_queue from pgmq.meta where queue_name = 'retry'`), { max_reads: 2, dead_letter_queue: 'retry_dlq' });
    assert.deepEqual(await rows(sql`select queue_name from pgmq.list_queues() where queue_name = 'retry_dlq'`), [{ queue_name: 'retry_dlq' }]);
    const id = Number((await one(sql`select * from pgmq.send('retry', '{"job":1}'::jsonb, '{"trace":"x"}'::jsonb) as id`))?.['id']);
    const fresh = await send('retry', { job: 2 });
    assert.deepEqual((await read('retry', 0, 1)).map((m) => m.read_ct), [1]);
    assert.deepEqual((await read('retry', 0, 1)).map((m) => m.read_ct), [2]);
    // The third read skips the spent message (and moves it) and hands out the next one.
    assert.deepEqual(msgIds(await read('retry', 30, 10)), [fresh]);
    assert.deepEqual(await ids(sql`select msg_id from pgmq.q_retry order by msg_id`), [fresh]);
    const dead = await rows(sql`select message, headers - 'x-dead-letter' as headers, (headers -> 'x-dead-letter') - 'enqueued_at' as dl,
        (headers -> 'x-dead-letter' ->> 'enqueued_at')::timestamptz <= now() as dated, read_ct from pgmq.q_retry_dlq`);
    assert.deepEqual(dead, [{ message: { job: 1 }, headers: { trace: 'x' }, dl: { queue: 'retry', msg_id: id, read_ct: 2 }, dated: true, read_ct: 0 }]);

    // pop respects the limit too; a named dead-letter queue; clearing the limit.
    await create('retry2');
    await db.query(sql`select pgmq.set_retry_limit('retry2', 1, 'graveyard')`);
    await send('retry2', { job: 3 });
    await read('retry2', 0, 1);
    assert.deepEqual(await rows(sql`select * from pgmq.pop('retry2')`), []);
    assert.deepEqual(await rows(sql`select message, headers -> 'x-dead-letter' ->> 'queue' as q from pgmq.q_graveyard`), [{ message: { job: 3 }, q: 'retry2' }]);
    await db.query(sql`select pgmq.set_retry_limit('retry2', null)`);
    await send('retry2', { job: 4 });
    await read('retry2', 0, 1);
    await read('retry2', 0, 1);
    assert.deepEqual((await read('retry2', 0, 1)).map((m) => m.read_ct), [3], 'no limit any more');

    const bad: ReadonlyArray<readonly [Sql, string]> = [
      [sql`select pgmq.set_retry_limit('retry', 0)`, '22023'],
      [sql`select pgmq.set_retry_limit('retry', 3, 'retry')`, '22023'],
      [sql`select pgmq.set_retry_limit('retry', 3, 'bad-name')`, '22023'],
    ];
    for (const [q, sqlstate] of bad) assert.equal((await failure(db.query(q))).sqlstate, sqlstate);
  });

  it('serves the pgmq_public wrappers to service_role, which may also create queues', async () => {
    const out = await as('service_role', async (tx) => {
      await tx.query(sql`select pgmq.create('svc')`);
      const sent = await ids(sql`select * from pgmq_public.send('svc', '{"a":1}'::jsonb)`, tx);
      const delayed = await ids(sql`select * from pgmq_public.send(queue_name => 'svc', message => '{"a":2}'::jsonb, sleep_seconds => 60)`, tx);
      const batch = await ids(sql`select * from pgmq_public.send_batch('svc', array['{"a":3}', '{"a":4}', '{"a":5}']::jsonb[])`, tx);
      const read1 = msgIds(await rows<{ msg_id: string }>(sql`select * from pgmq_public.read(queue_name => 'svc', sleep_seconds => 30, n => 2)`, tx));
      const popped = msgIds(await rows<{ msg_id: string }>(sql`select * from pgmq_public.pop('svc')`, tx));
      const archived = await one(sql`select pgmq_public.archive(queue_name => 'svc', message_id => 1) as r`, tx);
      const deleted = await one(sql`select pgmq_public.delete('svc', 3::bigint) as r`, tx);
      const missing = await one(sql`select pgmq_public.delete('svc', 3::bigint) as r`, tx);
      const left = await ids(sql`select msg_id from pgmq.q_svc order by msg_id`, tx);
      const owner = await one(sql`select pg_get_userbyid(relowner) as owner from pg_class where oid = 'pgmq.q_svc'::regclass`, tx);
      return { sent, delayed, batch, read1, popped, archived, deleted, missing, left, owner };
    });
    assert.deepEqual(out, {
      sent: [1], delayed: [2], batch: [3, 4, 5], read1: [1, 3], popped: [4],
      archived: { r: true }, deleted: { r: true }, missing: { r: false }, left: [2, 5], owner: { owner: 'service_role' },
    });
    assert.deepEqual(await as('service_role', (tx) => ids(sql`select msg_id from pgmq.a_svc`, tx)), [1]);
    await as('service_role', (tx) => tx.query(sql`select pgmq.drop_queue('svc')`));
  });

  it('lets anon and authenticated neither make queues nor use one they were not granted', async () => {
    await create('private');
    for (const role of ['anon', 'authenticated']) {
      const denied: readonly Sql[] = [
        sql`select pgmq.create('mine')`,
        sql`select pgmq.drop_queue('private')`,
        sql`select pgmq.purge_queue('private')`,
        sql`select pgmq.set_retry_limit('private', 3)`,
        sql`select * from pgmq.send('private', '{}'::jsonb)`,
        sql`select * from pgmq_public.send('private', '{}'::jsonb)`,
        sql`select * from pgmq_public.read('private', 30, 1)`,
        sql`select * from pgmq_public.pop('private')`,
        sql`insert into pgmq.meta (queue_name) values ('sneaky')`,
      ];
      for (const q of denied) assert.equal((await failure(as(role, (tx) => tx.query(q)))).sqlstate, '42501', `${role}: ${JSON.stringify(q)}`);
      assert.deepEqual(await as(role, (tx) => rows(sql`select queue_name from pgmq.list_queues() where queue_name = 'private'`, tx)), [{ queue_name: 'private' }]);
    }
    // Granted (with a policy), authenticated may send and read, as on Supabase Queues.
    await db.script(`grant select, insert, update on pgmq.q_private to authenticated;
      alter table pgmq.q_private enable row level security;
      create policy own_kind on pgmq.q_private to authenticated using (message ->> 'kind' = 'public') with check (message ->> 'kind' = 'public');`);
    const got = await as('authenticated', async (tx) => {
      await tx.query(sql`select * from pgmq_public.send('private', '{"kind":"public"}'::jsonb)`);
      return msgIds(await rows<{ msg_id: string }>(sql`select * from pgmq_public.read('private', 30, 5)`, tx));
    });
    assert.deepEqual(got, [1]);
    await send('private', { kind: 'secret' });
    await db.query(sql`update pgmq.q_private set vt = now() - interval '1 second'`);
    assert.deepEqual(await as('authenticated', (tx) => read('private', 30, 5, tx).then(msgIds)), [1], 'RLS hides the secret message');
    const withCheck = await failure(as('authenticated', (tx) => tx.query(sql`select * from pgmq_public.send('private', '{"kind":"secret"}'::jsonb)`)));
    assert.equal(withCheck.sqlstate, '42501');
  });
});
