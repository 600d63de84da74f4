// Health lints about Groundwork's own work queues (tables made by src/bootstrap/steps): the
// Auth outbox, outbound HTTP and webhooks, pgmq queues, cron runs. The remediation of each is
// the admin API path (on this server, with the service_role key) that lists the rows.
import { sql } from '../../lib/sql.ts';
import { MAX_AGE_SECONDS } from '../../outbox/claims.ts';
import { defineLint } from './types.ts';

const errorText = (e: string | null): string => (e === null ? '' : ` Last error: ${e.length > 200 ? `${e.slice(0, 200)}…` : e}`);

export const outboxDeliveryFailing = defineLint<{ channel: string; failing: number; oldest_seconds: number; attempts: number; last_error: string | null }>({
  name: 'outbox_delivery_failing',
  title: 'Auth Messages Not Delivered',
  level: 'WARN',
  categories: ['HEALTH'],
  description: "Emails or SMS from Auth (confirmations, magic links, codes) failed to send and are still unsent; users are waiting for them.",
  remediation: '/auth/v1/admin/outbox',
  // Messages older than the outbox's age limit have expired and are never sent again.
  query: () => sql`
    select channel, count(*)::int as failing, extract(epoch from now() - min(created_at))::float8 as oldest_seconds,
      max(attempts)::int as attempts, (array_agg(last_error order by id desc))[1] as last_error
    from _groundwork.outbox
    where sent_at is null and last_error is not null and created_at > now() - make_interval(secs => ${MAX_AGE_SECONDS})
    group by channel order by channel`,
  finding: (r) => ({
    detail: `${r.failing} ${r.channel === 'sms' ? 'SMS' : 'email'} message(s) failed to send (up to ${r.attempts} attempts; the oldest queued ${Math.round(r.oldest_seconds / 60)} min ago).${errorText(r.last_error)} Check the ${r.channel === 'sms' ? 'SMS provider' : 'SMTP'} settings.`,
    metadata: { type: 'outbox', name: r.channel, failing: r.failing, oldest_seconds: Math.round(r.oldest_seconds), attempts: r.attempts, last_error: r.last_error },
    key: [r.channel],
  }),
});

export const httpRequestsBacklog = defineLint<{ overdue: number; overdue_seconds: number }>({
  name: 'http_requests_backlog',
  title: 'Outbound Requests Overdue',
  level: 'WARN',
  categories: ['HEALTH'],
  description: 'Webhook deliveries and `net.http_*` requests are due but nobody sends them: no Groundwork process is running its dispatcher, or it cannot keep up.',
  remediation: '/jobs/v1/deliveries?state=pending',
  query: ({ thresholds: t }) => sql`
    select count(*)::int as overdue, extract(epoch from now() - min(next_attempt_at))::float8 as overdue_seconds
    from net.http_request_queue
    where state = 'pending' and next_attempt_at < now() - make_interval(secs => ${t.httpOverdueSeconds})
    having count(*) > 0`,
  finding: (r) => ({
    detail: `${r.overdue} outbound request(s) are pending past their due time, the oldest by ${Math.round(r.overdue_seconds)} s.`,
    metadata: { type: 'http_requests', overdue: r.overdue, overdue_seconds: Math.round(r.overdue_seconds) },
    key: [],
  }),
});

export const webhookDeliveriesFailing = defineLint<{ webhook: string; dead: number; retrying: number; last_status: number | null; last_error: string | null }>({
  name: 'webhook_deliveries_failing',
  title: 'Webhook Deliveries Failing',
  level: 'WARN',
  categories: ['HEALTH'],
  description: "A database webhook's receiver keeps failing: deliveries are being retried, or were given up (dead) after their last attempt.",
  remediation: '/jobs/v1/deliveries?state=dead',
  query: ({ thresholds: t }) => sql`
    select webhook, count(*) filter (where state = 'dead')::int as dead,
      count(*) filter (where state = 'pending' and attempts > 0)::int as retrying,
      (array_agg(last_status order by id desc) filter (where last_status is not null))[1] as last_status,
      (array_agg(last_error order by id desc) filter (where last_error is not null))[1] as last_error
    from net.http_request_queue
    where webhook is not null
      and ((state = 'dead' and finished_at > now() - make_interval(hours => ${t.failureWindowHours})) or (state = 'pending' and attempts > 0))
    group by webhook order by webhook`,
  finding: (r, { thresholds: t }) => ({
    detail: `Webhook \`${r.webhook}\`: ${r.dead} deliver${r.dead === 1 ? 'y' : 'ies'} given up in the last ${t.failureWindowHours} h, ${r.retrying} being retried${r.last_status === null ? '' : `; the receiver last answered ${r.last_status}`}.${errorText(r.last_error)} Failed deliveries can be sent again with POST /jobs/v1/deliveries/{id}/redeliver.`,
    metadata: { type: 'webhook', name: r.webhook, dead: r.dead, retrying: r.retrying, last_status: r.last_status, last_error: r.last_error },
    key: [r.webhook],
    level: r.dead > 0 ? 'WARN' : 'INFO',
  }),
});

type QueueRow = { queue: string; length: number; oldest_seconds: number | null };

export const queueMessagesOld = defineLint<QueueRow>({
  name: 'queue_messages_old',
  title: 'Old Queue Messages',
  level: 'WARN',
  categories: ['HEALTH'],
  description: 'A queue holds messages enqueued long ago: its consumers are not reading it, or keep failing and letting messages become visible again.',
  remediation: '/jobs/v1/queues',
  query: ({ thresholds: t }) => sql`
    select m.queue_name::text as queue, m.queue_length::float8 as length, m.oldest_msg_age_sec::float8 as oldest_seconds
    from pgmq.metrics_all() m
    where m.queue_length > 0 and m.oldest_msg_age_sec > ${t.queueMessageSeconds}
      and m.queue_name not in (select dead_letter_queue from pgmq.meta where dead_letter_queue is not null)
    order by 1`,
  finding: (r) => ({
    detail: `Queue \`${r.queue}\` holds ${r.length} message(s), the oldest enqueued ${Math.round((r.oldest_seconds ?? 0) / 60)} min ago.`,
    metadata: { type: 'queue', name: r.queue, length: r.length, oldest_seconds: r.oldest_seconds },
    key: [r.queue],
  }),
});

export const queueDeadLetters = defineLint<QueueRow>({
  name: 'queue_dead_letters',
  title: 'Dead-Lettered Queue Messages',
  level: 'WARN',
  categories: ['HEALTH'],
  description: "Messages reached a queue's retry limit and were moved to its dead-letter queue: they will not be processed until someone looks at them.",
  remediation: '/jobs/v1/queues',
  query: () => sql`
    select m.queue_name::text as queue, m.queue_length::float8 as length, m.oldest_msg_age_sec::float8 as oldest_seconds
    from pgmq.metrics_all() m
    where m.queue_length > 0 and m.queue_name in (select dead_letter_queue from pgmq.meta where dead_letter_queue is not null)
    order by 1`,
  finding: (r) => ({
    detail: `Dead-letter queue \`${r.queue}\` holds ${r.length} message(s). Read them with pgmq.read, fix the cause, and send them back or archive them.`,
    metadata: { type: 'queue', name: r.queue, length: r.length, oldest_seconds: r.oldest_seconds },
    key: [r.queue],
  }),
});

export const cronJobFailing = defineLint<{ jobid: number; jobname: string | null; schedule: string; failures: number; runs: number; last_failed: boolean; last_error: string | null }>({
  name: 'cron_job_failing',
  title: 'Cron Job Failing',
  level: 'WARN',
  categories: ['HEALTH'],
  description: 'A scheduled job failed recently (WARN while its latest run failed, INFO once it succeeded again).',
  remediation: '/jobs/v1/cron/runs',
  query: ({ thresholds: t }) => sql`
    select j.jobid::float8 as jobid, j.jobname, j.schedule, count(*)::int as runs,
      count(*) filter (where d.status = 'failed')::int as failures,
      (array_agg(d.status order by d.end_time desc))[1] = 'failed' as last_failed,
      (array_agg(d.return_message order by d.end_time desc) filter (where d.status = 'failed'))[1] as last_error
    from cron.job j join cron.job_run_details d on d.jobid = j.jobid
    where d.status in ('succeeded', 'failed') and d.end_time > now() - make_interval(hours => ${t.failureWindowHours})
    group by j.jobid, j.jobname, j.schedule
    having count(*) filter (where d.status = 'failed') > 0
    order by j.jobid`,
  finding: (r, { thresholds: t }) => ({
    detail: `Cron job ${r.jobname === null ? `#${r.jobid}` : `\`${r.jobname}\``} (${r.schedule}) failed ${r.failures} of its ${r.runs} run(s) in the last ${t.failureWindowHours} h${r.last_failed ? ', including the latest' : ''}.${errorText(r.last_error)}`,
    metadata: { type: 'cron job', name: r.jobname ?? `#${r.jobid}`, jobid: r.jobid, schedule: r.schedule, failures: r.failures, runs: r.runs, last_failed: r.last_failed, last_error: r.last_error },
    key: [String(r.jobid)],
    level: r.last_failed ? 'WARN' : 'INFO',
  }),
});

export const healthJobLints = [outboxDeliveryFailing, httpRequestsBacklog, webhookDeliveriesFailing, queueDeadLetters, queueMessagesOld, cronJobFailing];
