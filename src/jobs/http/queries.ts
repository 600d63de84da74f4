// The admin API's statements (src/jobs/http/routes.ts), one per route, on the admin
// connection: listings newest first, paged by id (`before`).
import { sql, type Sql } from '../../lib/sql.ts';
import type { Database, Row } from '../../db/port.ts';

export interface AdminQueries {
  webhooks(): Promise<Row[]>;
  deliveries(p: { limit: number; before?: number | undefined; state?: string | undefined }): Promise<Row[]>;
  delivery(id: string): Promise<Row | undefined>;
  redeliver(id: string): Promise<'missing' | 'pending' | 'redelivered'>;
  queues(): Promise<Row[]>;
  cronJobs(): Promise<Row[]>;
  cronRuns(p: { limit: number; before?: number | undefined; jobid?: number | undefined }): Promise<Row[]>;
}

export function adminQueries(db: Database): AdminQueries {
  const rows = async (q: Sql) => (await db.query<Row>(q)).rows;
  return {
    webhooks: () => rows(sql`select * from groundwork.webhooks order by schema, "table", name`),
    deliveries: (p) =>
      rows(sql`
        select id::text, method, url, webhook, webhook_table::regclass::text as webhook_table, message_id, state, attempts,
          next_attempt_at, created, finished_at, last_status, last_error
        from net.http_request_queue
        where (${p.state ?? null}::text is null or state = ${p.state ?? null}::text) and (${p.before ?? null}::bigint is null or id < ${p.before ?? null}::bigint)
        order by net.http_request_queue.id desc limit ${p.limit}`),
    delivery: async (id) => {
      const found = await rows(sql`
        select r.id::text, r.method, r.url, r.params, r.headers, convert_from(r.body, 'UTF8') as body, r.timeout_milliseconds,
          r.webhook, r.webhook_table::regclass::text as webhook_table, r.message_id, r.state, r.attempts, r.next_attempt_at,
          r.created, r.finished_at, r.last_status, r.last_error,
          coalesce((select jsonb_agg(jsonb_build_object('attempt', a.attempt, 'at', a.at, 'status', a.status, 'latency_ms', a.latency_ms,
            'error', a.error, 'response_excerpt', a.response_excerpt) order by a.attempt)
            from _groundwork.http_attempts a where a.request_id = r.id), '[]') as attempt_log
        from net.http_request_queue r where r.id = ${id}::bigint`);
      return found[0];
    },
    redeliver: async (id) => {
      const found = await rows(sql`select state, groundwork.redeliver(id) as redelivered from net.http_request_queue where id = ${id}::bigint`);
      const row = found[0];
      if (row === undefined) return 'missing';
      return row['redelivered'] === true ? 'redelivered' : 'pending';
    },
    queues: () =>
      rows(sql`
        select m.*, q.max_reads, q.dead_letter_queue
        from pgmq.metrics_all() m join pgmq.meta q on q.queue_name = m.queue_name order by m.queue_name`),
    cronJobs: () => rows(sql`select jobid::text, jobname, schedule, command, username, active from cron.job order by cron.job.jobid`),
    cronRuns: (p) =>
      rows(sql`
        select jobid::text, runid::text, username, command, status, return_message, start_time, end_time
        from cron.job_run_details
        where (${p.jobid ?? null}::bigint is null or jobid = ${p.jobid ?? null}::bigint) and (${p.before ?? null}::bigint is null or runid < ${p.before ?? null}::bigint)
        order by cron.job_run_details.runid desc limit ${p.limit}`),
  };
}
