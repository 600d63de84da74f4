import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openTestDatabase, dbKind } from '../../../test/support/db.ts';
import type { Database } from '../../db/port.ts';
import { sql } from '../../lib/sql.ts';
import { label } from './advisors-test-helpers.ts';
import { listLints, runAdvisors } from './run.ts';
import type { HealthThresholds } from './thresholds.ts';
import type { LintLevel } from './types.ts';

interface HealthCase {
  readonly title: string;
  readonly setup: string;
  readonly afterSetup?: (db: Database) => Promise<void>;
  readonly thresholds?: Partial<HealthThresholds>;
  /** Findings that must appear (a label, or a label's beginning up to a ':'), with their level. */
  readonly expected: ReadonlyArray<readonly [string, LintLevel]>;
  /** Findings that must not. */
  readonly absent?: readonly string[];
  readonly teardown: string;
}

const matches = (found: string, wanted: string) => found === wanted || found.startsWith(`${wanted}:`);

async function findings(db: Database, thresholds: Partial<HealthThresholds> = {}): Promise<Array<[string, LintLevel]>> {
  const { lints } = await listLints(db, 'health', { exposedSchemas: ['public'], thresholds });
  return lints.map((l) => [label(l), l.level]);
}

const cases: HealthCase[] = [
  {
    title: 'an email that failed to send',
    setup: `insert into _groundwork.outbox (channel, recipient, subject, body, kind, attempts, last_error)
      values ('email', 'a@example.com', 's', 'b', 'confirmation', 3, 'connect ECONNREFUSED'),
             ('sms', '+15550100', '', 'code', 'sms_otp', 0, null);`,
    expected: [['outbox_delivery_failing:email', 'WARN']],
    absent: ['outbox_delivery_failing:sms'],
    teardown: `truncate _groundwork.outbox`,
  },
  {
    title: 'an outbound request overdue (no dispatcher running)',
    setup: `insert into net.http_request_queue (method, url, timeout_milliseconds, next_attempt_at)
      values ('GET', 'http://example.test/', 1000, now() - interval '10 minutes');`,
    expected: [['http_requests_backlog', 'WARN']],
    teardown: `delete from net.http_request_queue`,
  },
  {
    title: 'webhook deliveries given up, or being retried',
    setup: `insert into net.http_request_queue (method, url, timeout_milliseconds, webhook, state, attempts, finished_at, last_status, next_attempt_at) values
      ('POST', 'http://example.test/a', 1000, 'adv_dead_hook', 'dead', 5, now(), 500, now()),
      ('POST', 'http://example.test/b', 1000, 'adv_retry_hook', 'pending', 2, null, 503, now() + interval '1 minute'),
      ('POST', 'http://example.test/c', 1000, 'adv_fine_hook', 'succeeded', 1, now(), 200, now());`,
    expected: [['webhook_deliveries_failing:adv_dead_hook', 'WARN'], ['webhook_deliveries_failing:adv_retry_hook', 'INFO']],
    absent: ['webhook_deliveries_failing:adv_fine_hook', 'http_requests_backlog'],
    teardown: `delete from net.http_request_queue`,
  },
  {
    title: 'a queue with an old message (default thresholds), and one with a new message',
    setup: `select pgmq.create('adv_slow'); select pgmq.send('adv_slow', '{}'); select pgmq.create('adv_fresh'); select pgmq.send('adv_fresh', '{}');
      update pgmq.q_adv_slow set enqueued_at = now() - interval '2 hours';`,
    expected: [['queue_messages_old:adv_slow', 'WARN']],
    absent: ['queue_messages_old:adv_fresh'],
    teardown: `select pgmq.drop_queue('adv_slow'); select pgmq.drop_queue('adv_fresh')`,
  },
  {
    title: 'messages in a dead-letter queue (reported as dead letters, not as old messages)',
    setup: `select pgmq.create('adv_work'); select pgmq.create('adv_work_dlq'); select pgmq.set_retry_limit('adv_work', 1, 'adv_work_dlq');
      select pgmq.send('adv_work_dlq', '{}'); update pgmq.q_adv_work_dlq set enqueued_at = now() - interval '2 hours';`,
    expected: [['queue_dead_letters:adv_work_dlq', 'WARN']],
    absent: ['queue_messages_old:adv_work_dlq'],
    teardown: `select pgmq.drop_queue('adv_work'); select pgmq.drop_queue('adv_work_dlq')`,
  },
  {
    title: 'a cron job whose latest run failed',
    setup: `select cron.schedule('adv_job', '*/5 * * * *', 'select 1');
      insert into cron.job_run_details (jobid, database, username, command, status, return_message, start_time, end_time)
      select jobid, current_database(), username, command, 'failed', 'division by zero', now() - interval '2 minutes', now() - interval '1 minute'
      from cron.job where jobname = 'adv_job';`,
    expected: [['cron_job_failing:adv_job', 'WARN']],
    teardown: `select cron.unschedule('adv_job'); delete from cron.job_run_details`,
  },
  {
    title: 'a cron job that failed, then succeeded',
    setup: `select cron.schedule('adv_job', '*/5 * * * *', 'select 1');
      insert into cron.job_run_details (jobid, database, username, command, status, return_message, start_time, end_time)
      select jobid, current_database(), username, command, s, m, now() - make_interval(mins => ago + 1), now() - make_interval(mins => ago)
      from cron.job, (values ('failed', 'division by zero', 10), ('succeeded', 'ok', 5)) v(s, m, ago) where jobname = 'adv_job';`,
    expected: [['cron_job_failing:adv_job', 'INFO']],
    teardown: `select cron.unschedule('adv_job'); delete from cron.job_run_details`,
  },
  {
    title: 'an invalid index',
    setup: `create table public.adv_inv (id int primary key, x int); create index adv_inv_x on public.adv_inv (x);
      update pg_index set indisvalid = false where indexrelid = 'public.adv_inv_x'::regclass;`,
    expected: [['invalid_index:adv_inv:adv_inv_x', 'WARN']],
    teardown: `drop table public.adv_inv`,
  },
  {
    title: 'a table that is mostly dead rows',
    setup: `create table public.adv_dead (id int primary key) with (autovacuum_enabled = false); insert into public.adv_dead select generate_series(1, 100);`,
    // The delete's counts reach the statistics when its session reports them, forced at its end.
    afterSetup: (db) =>
      db.transaction(async (tx) => {
        await tx.query(sql`delete from public.adv_dead where id > 10`);
        await tx.query(sql`select pg_stat_force_next_flush()`);
      }),
    thresholds: { deadTuplesMin: 50 },
    expected: [['dead_tuples_high:adv_dead', 'WARN']],
    teardown: `drop table public.adv_dead`,
  },
  { title: 'the cache hit ratio under its threshold', setup: '', thresholds: { cacheMinBlocks: 1, cacheHitRatio: 1.01 }, expected: [['cache_hit_ratio_low', 'WARN']], teardown: '' },
  { title: 'transaction ID age past the warning', setup: '', thresholds: { xidAgeWarn: 1 }, expected: [['transaction_id_wraparound', 'WARN']], teardown: '' },
  { title: 'transaction ID age past the error', setup: '', thresholds: { xidAgeWarn: 1, xidAgeError: 1 }, expected: [['transaction_id_wraparound', 'ERROR']], teardown: '' },
  {
    title: `connections over the threshold (${dbKind === 'postgres' ? 'reported' : 'not counted on the embedded database'})`,
    setup: '',
    thresholds: { connectionsWarn: 0, connectionsError: 2 },
    expected: dbKind === 'postgres' ? [['connections_high', 'WARN']] : [],
    absent: dbKind === 'postgres' ? [] : ['connections_high'],
    teardown: '',
  },
];

describe(`health advisor (${dbKind})`, () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Database;
  before(async () => {
    t = await openTestDatabase();
    db = t.db;
  });
  after(() => t.dispose());

  it('finds nothing on a freshly bootstrapped database, and reports its metrics', async () => {
    const result = await runAdvisors(db, 'health', { exposedSchemas: ['public'] });
    assert.deepEqual(result.lints, []);
    const m = result.metrics;
    assert.ok(m);
    assert.deepEqual(Object.keys(m), ['database_size_bytes', 'connections', 'cache_hit_ratio', 'transaction_id_age', 'outbox', 'http_requests', 'queues', 'cron']);
    assert.ok(m.database_size_bytes > 1_000_000, 'a bootstrapped database is some megabytes');
    if (dbKind === 'postgres') {
      assert.ok(m.connections !== null && m.connections.used >= 1 && m.connections.max > m.connections.used);
    } else {
      assert.equal(m.connections, null);
    }
    assert.ok(m.cache_hit_ratio !== null && m.cache_hit_ratio > 0 && m.cache_hit_ratio <= 1);
    assert.ok(m.transaction_id_age >= 0);
    assert.deepEqual([m.outbox, m.http_requests, m.queues, m.cron], [[], { pending: 0, oldest_pending_seconds: null }, [], { jobs: 0, active: 0, failed_runs_24h: 0 }]);
  });

  cases.forEach((c, i) =>
    it(c.title, async () => {
      const wanted = c.expected.map(([l]) => l);
      // Not before: the setup, or (cases made only of thresholds) at the default thresholds.
      const before = await findings(db, c.setup === '' ? {} : c.thresholds);
      assert.deepEqual(before.filter(([l]) => wanted.some((w) => matches(l, w))), [], `${c.title}: not before (case ${i})`);
      try {
        if (c.setup !== '') await db.script(c.setup);
        await c.afterSetup?.(db);
        const now = await findings(db, c.thresholds);
        for (const [w, level] of c.expected) assert.deepEqual(now.filter(([l]) => matches(l, w)).map(([, lv]) => lv), [level], `${w} at ${level}`);
        for (const w of c.absent ?? []) assert.deepEqual(now.filter(([l]) => matches(l, w)), [], `${w} absent`);
      } finally {
        if (c.teardown !== '') await db.script(c.teardown);
      }
    }),
  );

  it('counts the backlog in the metrics', async () => {
    await db.script(`insert into _groundwork.outbox (channel, recipient, subject, body, kind, created_at) values ('email', 'a@example.com', 's', 'b', 'confirmation', now() - interval '90 seconds');
      select pgmq.create('adv_metrics'); select pgmq.send('adv_metrics', '{}');`);
    try {
      const { metrics } = await runAdvisors(db, 'health', { exposedSchemas: ['public'] });
      assert.ok(metrics);
      assert.deepEqual(metrics.outbox.map((o) => [o.channel, o.unsent, (o.oldest_unsent_seconds ?? 0) >= 90]), [['email', 1, true]]);
      assert.deepEqual(metrics.queues.map((q) => [q.queue, q.length]), [['adv_metrics', 1]]);
    } finally {
      await db.script(`truncate _groundwork.outbox; select pgmq.drop_queue('adv_metrics');`);
    }
  });

  // The embedded database is one session, taken by whoever runs: no other session can sit in
  // a transaction or run a statement while the advisor looks.
  it(`sessions idle in a transaction or running long (${dbKind === 'postgres' ? 'reported' : 'none can exist on the embedded database'})`, async () => {
    const thresholds = { idleInTransactionSeconds: 0, longQuerySeconds: 0.2 };
    if (dbKind !== 'postgres') {
      const { rows } = await db.query<{ n: number }>(sql`select count(*)::int as n from pg_stat_activity`);
      assert.equal(rows[0]?.n, 1, 'PGlite shows its one standalone backend');
      assert.deepEqual((await findings(db, thresholds)).filter(([l]) => l.startsWith('idle_in_transaction') || l.startsWith('long_running_query')), []);
      return;
    }
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let opened = () => undefined as void;
    const isOpen = new Promise<void>((resolve) => (opened = resolve));
    const idle = db.transaction(async (tx) => {
      await tx.query(sql`select 1`);
      opened();
      await held;
    });
    const sleeping = db.query(sql`select pg_sleep(1.5)`);
    try {
      await isOpen;
      await new Promise((r) => setTimeout(r, 500));
      const now = await findings(db, thresholds);
      assert.deepEqual(now.filter(([l]) => l === 'idle_in_transaction').map(([, lv]) => lv), ['WARN']);
      assert.deepEqual(now.filter(([l]) => l === 'long_running_query').map(([, lv]) => lv), ['WARN']);
    } finally {
      release();
      await Promise.all([idle, sleeping]);
    }
  });
});
