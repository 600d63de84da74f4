import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from '../lib/sql.ts';
import { openTestDatabase, dbKind } from '../../test/support/db.ts';
import type { Database } from '../db/port.ts';
import { claim, markFailed, markSent, MAX_ATTEMPTS, release } from './claims.ts';
import { listOutbox } from './list.ts';

const claimMail = (db: Database, limit: number) => claim(db, 'email', limit);

describe(`outbox delivery queries (${dbKind})`, () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Database;
  before(async () => {
    t = await openTestDatabase();
    db = t.db;
  });
  after(() => t.dispose());
  beforeEach(() => db.query(sql`truncate _groundwork.outbox`));

  const queue = async (n: number, channel = 'email') => {
    for (let i = 0; i < n; i++) await db.query(sql`insert into _groundwork.outbox (channel, recipient, subject, body, kind) values (${channel}, ${`u${i}@example.com`}, 's', 'b', 'confirmation')`);
  };
  const state = async () => (await db.query<{ attempts: number; leased: boolean; sent: boolean; last_error: string | null }>(sql`
    select attempts, leased_until > now() as leased, sent_at is not null as sent, last_error from _groundwork.outbox order by id`)).rows;

  it('never sends a message older than a day (its codes have expired); the listing says expired', async () => {
    await queue(2);
    await db.query(sql`update _groundwork.outbox set created_at = now() - interval '25 hours' where recipient = 'u0@example.com'`);
    assert.deepEqual((await claimMail(db, 10)).map((m) => m.recipient), ['u1@example.com']);
    const listed = await listOutbox(db, 10);
    assert.deepEqual(listed.map((m) => [m['to'], m['status']]), [['u1@example.com', 'pending'], ['u0@example.com', 'expired']]);
  });

  it('claims unsent emails oldest first, leasing them and counting the attempt; SMS rows are not its business', async () => {
    await queue(3);
    await queue(1, 'sms');
    const claimed = await claimMail(db, 2);
    assert.deepEqual(claimed.map((m) => [m.recipient, m.attempts]), [['u0@example.com', 1], ['u1@example.com', 1]]);
    assert.deepEqual((await claimMail(db, 10)).map((m) => m.recipient), ['u2@example.com'], 'leased rows are not claimed again');
    assert.deepEqual(await claimMail(db, 10), []);
  });

  it('never gives one row to two concurrent claims (skip locked)', async () => {
    await queue(30);
    const claims = await Promise.all([claimMail(db, 20), claimMail(db, 20), claimMail(db, 20)]);
    const ids = claims.flat().map((m) => m.id);
    assert.equal(ids.length, 30);
    assert.equal(new Set(ids).size, 30);
  });

  it('marks sent; holds a failure back with its error; releases untried claims', async () => {
    await queue(3);
    const [a, b, c] = await claimMail(db, 3);
    assert.ok(a && b && c);
    await markSent(db, a.id);
    await markFailed(db, b.id, 'connect ECONNREFUSED', 60);
    await release(db, [c.id]);
    assert.deepEqual(await state(), [
      { attempts: 1, leased: null, sent: true, last_error: null },
      { attempts: 1, leased: true, sent: false, last_error: 'connect ECONNREFUSED' },
      { attempts: 0, leased: null, sent: false, last_error: null },
    ]);
    assert.deepEqual((await claimMail(db, 10)).map((m) => m.id), [c.id], 'the failure waits for its backoff');
  });

  it('takes a row back once its lease or backoff has run out, until the attempts are used up', async () => {
    await queue(1);
    const [m] = await claimMail(db, 1);
    assert.ok(m);
    await markFailed(db, m.id, 'timeout', 0);
    assert.deepEqual((await claimMail(db, 1)).map((x) => x.attempts), [2]);
    await db.query(sql`update _groundwork.outbox set attempts = ${MAX_ATTEMPTS}, leased_until = null`);
    assert.deepEqual(await claimMail(db, 1), []);
  });

  it('lists messages with their delivery status for the admin endpoint', async () => {
    await queue(4);
    const [a, b, c] = await claimMail(db, 3);
    assert.ok(a && b && c);
    await markSent(db, a.id);
    await markFailed(db, b.id, 'refused', 30);
    await markFailed(db, c.id, 'refused', 0);
    await db.query(sql`update _groundwork.outbox set attempts = ${MAX_ATTEMPTS} where id = ${c.id}`);
    const rows = await listOutbox(db, 10);
    assert.deepEqual(rows.map((r) => [r['to'], r['status'], r['attempts'], r['last_error'], r['next_attempt_at'] !== null]), [
      ['u3@example.com', 'pending', 0, null, false],
      ['u2@example.com', 'failed', MAX_ATTEMPTS, 'refused', false],
      ['u1@example.com', 'retrying', 1, 'refused', true],
      ['u0@example.com', 'sent', 1, null, false],
    ]);
  });
});
