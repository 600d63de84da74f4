// pgmq beyond its core on both databases: retry limits with dead-letter queues, Supabase's
// pgmq_public wrappers, and who may do what (src/bootstrap/steps/pgmq-public.ts).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Sql } from '../../lib/sql.ts';
import { openTestDatabase, dbKind } from '../../../test/support/db.ts';
import type { Database } from '../../db/port.ts';
import { pgmqHelpers } from './pgmq-test-helpers.ts';

describe(`pgmq retry limits and access (${dbKind})`, () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Database;
  before(async () => {
    t = await openTestDatabase();
    db = t.db;
  });
  after(() => t.dispose());

  const { rows, one, ids, create, send, read, msgIds, as, failure } = pgmqHelpers(() => db);

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
