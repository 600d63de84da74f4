import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Sql } from '../../lib/sql.ts';
import { openTestDatabase, dbKind } from '../../../test/support/db.ts';
import type { Database } from '../../db/port.ts';
import { pgmqHelpers } from './pgmq-test-helpers.ts';

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

  const { rows, one, ids, create, send, read, msgIds, failure } = pgmqHelpers(() => db);

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

});
