// The jobs family's upkeep: history past its window goes, the rest stays; queue depths are reported.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openTestDatabase, dbKind } from '../../test/support/db.ts';
import type { Database } from '../db/port.ts';
import { sql } from '../lib/sql.ts';
import type { Observation } from '../observe/events.ts';
import { pruneHistory, reportDepths } from './housekeeping.ts';

describe(`jobs upkeep (${dbKind})`, () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Database;
  before(async () => {
    t = await openTestDatabase();
    db = t.db;
  });
  after(() => t.dispose());

  it('prunes finished requests, cron runs and ticks older than the window, and nothing newer or pending', async () => {
    await db.script(`
      insert into net.http_request_queue (id, method, url, timeout_milliseconds, state, finished_at) values
        (1, 'GET', 'http://a.test/', 1000, 'succeeded', now() - interval '8 days'),
        (2, 'GET', 'http://a.test/', 1000, 'dead', now() - interval '6 days'),
        (3, 'GET', 'http://a.test/', 1000, 'pending', null);
      insert into _groundwork.http_attempts (request_id, attempt, latency_ms) values (1, 1, 5), (2, 1, 5);
      insert into net._http_response (id, status_code) values (1, 200), (2, 500);
      insert into cron.job_run_details (jobid, status, start_time, end_time) values
        (1, 'succeeded', now() - interval '9 days', now() - interval '9 days'),
        (1, 'succeeded', now() - interval '1 day', now() - interval '1 day');
      insert into _groundwork.cron_ticks (jobid, tick_at) values (1, now() - interval '2 days'), (1, now());`);
    await pruneHistory(db, 7);
    const { rows } = await db.query(sql`select
      (select array_agg(id order by id) from net.http_request_queue) as requests,
      (select array_agg(request_id) from _groundwork.http_attempts) as attempts,
      (select array_agg(id) from net._http_response) as responses,
      (select count(*)::int from cron.job_run_details) as runs,
      (select count(*)::int from _groundwork.cron_ticks) as ticks`);
    assert.deepEqual(rows, [{ requests: ['2', '3'], attempts: ['2'], responses: ['2'], runs: 1, ticks: 1 }]);
  });

  it("reports each non-empty queue's depth", async () => {
    await db.script(`select pgmq.create('full'); select pgmq.create('empty'); select pgmq.send('full', '{}'); select pgmq.send('full', '{}');`);
    const seen: Observation[] = [];
    await reportDepths(db, (o) => void seen.push(o));
    assert.deepEqual(seen.map((o) => (o.type === 'queue-depth' ? [o.queue, o.length] : [])), [['full', 2]]);
  });
});
