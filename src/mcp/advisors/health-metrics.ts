// The health advisor's numbers, read in one statement beside its lints: so an empty list of
// findings still tells the size, load and backlog of the database.
import type { Row } from '../../db/port.ts';
import { sql, type Sql } from '../../lib/sql.ts';
import { MAX_AGE_SECONDS } from '../../outbox/claims.ts';
import type { HealthMetrics, LintScope } from './types.ts';

// The embedded database has one session, queued by Groundwork: nothing to count there.
const CONNECTIONS = sql`jsonb_build_object(
  'used', (select count(*) from pg_stat_activity where backend_type = 'client backend'),
  'max', current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int
    - coalesce(current_setting('reserved_connections', true)::int, 0))`;

export function metricsQuery(scope: LintScope): Sql {
  return sql`
    select jsonb_build_object(
      'database_size_bytes', pg_database_size(current_database()),
      'connections', ${scope.mode === 'server' ? CONNECTIONS : sql`null::jsonb`},
      'cache_hit_ratio', (select round((blks_hit::numeric / nullif(blks_hit + blks_read, 0)), 4)
                          from pg_stat_database where datname = current_database()),
      'transaction_id_age', (select age(datfrozenxid) from pg_database where datname = current_database()),
      'outbox', (select coalesce(jsonb_agg(jsonb_build_object('channel', o.channel, 'unsent', o.unsent, 'oldest_unsent_seconds', o.oldest) order by o.channel), '[]')
                 from (select channel, count(*) as unsent, round(extract(epoch from now() - min(created_at))) as oldest
                       from _groundwork.outbox where sent_at is null and created_at > now() - make_interval(secs => ${MAX_AGE_SECONDS})
                       group by channel) o),
      'http_requests', (select jsonb_build_object('pending', count(*), 'oldest_pending_seconds', round(extract(epoch from now() - min(created))))
                        from net.http_request_queue where state = 'pending'),
      'queues', (select coalesce(jsonb_agg(jsonb_build_object('queue', m.queue_name, 'length', m.queue_length, 'oldest_message_seconds', m.oldest_msg_age_sec) order by m.queue_name), '[]')
                 from pgmq.metrics_all() m),
      'cron', jsonb_build_object(
        'jobs', (select count(*) from cron.job),
        'active', (select count(*) from cron.job where active),
        'failed_runs_24h', (select count(*) from cron.job_run_details where status = 'failed' and end_time > now() - interval '24 hours'))
    ) as metrics`;
}

export function metricsFrom(rows: readonly Row[]): HealthMetrics {
  const metrics = rows[0]?.['metrics'];
  if (typeof metrics !== 'object' || metrics === null) throw new Error('the health metrics query returned no row');
  // Rebuilt in a fixed order (jsonb orders keys by length) so the answer reads top-down.
  const m = metrics as HealthMetrics;
  return {
    database_size_bytes: m.database_size_bytes,
    connections: m.connections,
    cache_hit_ratio: m.cache_hit_ratio,
    transaction_id_age: m.transaction_id_age,
    outbox: m.outbox,
    http_requests: m.http_requests,
    queues: m.queues,
    cron: m.cron,
  };
}
