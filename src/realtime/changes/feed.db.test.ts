// The change feed's reading order on both databases: rows come once each, in (xid, id)
// order, across digit boundaries (a text sort would put 10 before 9: a bug the realtime
// bench once caught as duplicate deliveries), and never below the start or past a running
// transaction.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openTestDatabase, dbKind, quiet } from '../../../test/support/db.ts';
import type { Database } from '../../db/port.ts';
import { sql } from '../../lib/sql.ts';
import { Hub } from '../hub/hub.ts';
import { ChangeFeed } from './feed.ts';

describe(`realtime change feed order (${dbKind})`, () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Database;
  before(async () => {
    t = await openTestDatabase();
    db = t.db;
  });
  after(() => t.dispose());

  const put = (id: number, text: string) =>
    db.query(sql`insert into _groundwork.realtime_changes (id, relid, op, record) overriding system value values (${id}, 0, 'BUS', jsonb_build_object('bus', ${text}::text))`);

  it('reads each row once, in (xid, id) order, from where it started', async () => {
    await put(1, 'before the start');
    const got: string[] = [];
    const feed = new ChangeFeed(db, new Hub(quiet), { current: {} as never }, quiet, { onBus: (text) => void got.push(text) });
    await feed.start();
    try {
      // One transaction: ids 8 to 12 share an xid, so only the ids order them.
      await db.transaction(async (tx) => {
        for (const id of [8, 9, 10, 11, 12]) await tx.query(sql`insert into _groundwork.realtime_changes (id, relid, op, record) overriding system value values (${id}, 0, 'BUS', jsonb_build_object('bus', ${`row ${id}`}::text))`);
      });
      // Then separate transactions: each a later xid.
      for (const id of [2, 3]) await put(id, `row ${id}`);
      // Rows wait for every older transaction in the cluster to end; other test files share
      // the cluster, so allow for their long transactions.
      for (let i = 0; i < 750 && got.length < 7; i++) {
        feed.wake();
        await new Promise((r) => setTimeout(r, 20));
      }
      feed.wake();
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(got, ['row 8', 'row 9', 'row 10', 'row 11', 'row 12', 'row 2', 'row 3']);
    } finally {
      await feed.stop();
    }
  });
});
