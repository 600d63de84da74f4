// The outbound requests' queries. A claim takes due requests with `for update skip locked`
// and moves their next_attempt_at past the attempt's end in the same statement: that is the
// lease, so several nodes never take one request at once, and a node that dies mid-send
// leaves a request that falls due again. Recording an attempt is one statement: its log
// row, pg_net's response row, and the request's new state, written only if the request is
// still at that attempt (a dispatcher whose lease ran out does not overwrite a newer one).
import { sql } from '../../lib/sql.ts';
import type { Queryable } from '../../db/port.ts';

export const NOTIFY_CHANNEL = 'groundwork_http';
/** Beyond the request's own timeout, how long a claimed request may wait for its turn and be recorded. */
export const LEASE_SECONDS = 15;

export type ClaimedRequest = {
  readonly id: string;
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: string;
  readonly params: Record<string, unknown>;
  readonly headers: Record<string, unknown>;
  /** Base64, or null without a body. */
  readonly body: string | null;
  readonly timeoutMs: number;
  /** The trigger's name, for a database webhook; null for net.http_*. */
  readonly webhook: string | null;
  /** `schema.table`, for a database webhook. */
  readonly webhookTable: string | null;
  readonly messageId: string;
  /** This attempt's number (1-based), over the request's whole life: the attempt log's key. */
  readonly attempt: number;
  /** This attempt's number since the request was last (re)delivered: what the attempt limit and backoff count. */
  readonly try: number;
  /** The webhook's own secret and attempt limit, when it has them. */
  readonly secret: string | null;
  readonly maxAttempts: number | null;
};

export async function claimRequests(db: Queryable, limit: number): Promise<ClaimedRequest[]> {
  const { rows } = await db.query<ClaimedRequest>(sql`
    with due as (
      select r.id, w.secret, w.max_attempts
      from net.http_request_queue r
      left join _groundwork.webhook_settings w on w.table_oid = r.webhook_table and w.name = r.webhook
      where r.state = 'pending' and r.next_attempt_at <= now()
      order by r.next_attempt_at, r.id
      limit ${limit}
      for update of r skip locked
    )
    update net.http_request_queue q
    set attempts = q.attempts + 1, claimed_at = now(), next_attempt_at = now() + make_interval(secs => ${LEASE_SECONDS} + q.timeout_milliseconds / 1000.0)
    from due
    where q.id = due.id
    returning q.id::text as id, q.method, q.url, q.params, q.headers, encode(q.body, 'base64') as body,
      q.timeout_milliseconds as "timeoutMs", q.webhook, q.webhook_table::regclass::text as "webhookTable",
      q.message_id as "messageId", q.attempts as attempt, q.attempts - q.retry_from as try,
      due.secret, due.max_attempts as "maxAttempts"`);
  return rows;
}

/** Gives claimed requests back unsent (a stopping node): due at once, their attempt not counted. */
export async function releaseRequests(db: Queryable, rows: readonly ClaimedRequest[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query(sql`
    update net.http_request_queue q set attempts = q.attempts - 1, claimed_at = null, next_attempt_at = now()
    from jsonb_to_recordset(${JSON.stringify(rows.map((r) => ({ id: r.id, attempt: r.attempt })))}::jsonb) as r(id bigint, attempt int)
    where q.id = r.id and q.attempts = r.attempt and q.state = 'pending'`);
}

/**
 * The embedded database has one node: attempts it claimed and never recorded were cut short
 * by a crash or a kill, and are due again at once rather than when their lease ends. They
 * count as attempts (the receiver may have got them).
 */
export async function releaseOrphans(db: Queryable): Promise<number> {
  const { rowCount } = await db.query(sql`
    update net.http_request_queue set claimed_at = null, next_attempt_at = now() where state = 'pending' and claimed_at is not null`);
  return rowCount;
}

export interface AttemptRecord {
  readonly id: string;
  readonly attempt: number;
  readonly state: 'pending' | 'succeeded' | 'failed' | 'dead';
  /** For `pending`: when to try again. */
  readonly retryInMs: number;
  readonly status: number | null;
  readonly contentType: string | null;
  readonly headers: Record<string, string> | null;
  readonly content: string | null;
  readonly timedOut: boolean;
  readonly error: string | null;
  readonly latencyMs: number;
  readonly excerpt: string | null;
}

export async function recordAttempt(db: Queryable, r: AttemptRecord): Promise<void> {
  const finished = r.state !== 'pending';
  await db.query(sql`
    with request as (
      update net.http_request_queue
      set state = ${r.state}, claimed_at = null,
        next_attempt_at = case when ${finished} then next_attempt_at else now() + make_interval(secs => ${r.retryInMs} / 1000.0) end,
        finished_at = case when ${finished} then now() end,
        last_status = ${r.status}::int, last_error = ${r.error}::text
      where id = ${r.id}::bigint and attempts = ${r.attempt} and state = 'pending'
      returning id
    ), logged as (
      insert into _groundwork.http_attempts (request_id, attempt, status, latency_ms, error, response_excerpt)
      select id, ${r.attempt}::int, ${r.status}::int, ${r.latencyMs}::int, ${r.error}::text, ${r.excerpt}::text from request
      on conflict do nothing
    )
    insert into net._http_response (id, status_code, content_type, headers, content, timed_out, error_msg)
    select id, ${r.status}::int, ${r.contentType}::text, ${r.headers === null ? null : JSON.stringify(r.headers)}::jsonb, ${r.content}::text, ${r.timedOut}::boolean, ${r.error}::text from request
    on conflict (id) do update set status_code = excluded.status_code, content_type = excluded.content_type, headers = excluded.headers,
      content = excluded.content, timed_out = excluded.timed_out, error_msg = excluded.error_msg, created = now()`);
}

/** Finished requests, their attempts and responses older than the history window. */
export async function pruneRequests(db: Queryable, days: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(sql`
    with gone as (
      delete from net.http_request_queue where state <> 'pending' and finished_at < now() - make_interval(days => ${days}) returning id
    ), responses as (delete from net._http_response r using gone where r.id = gone.id)
    select count(*)::int as n from gone`);
  return rows[0]?.n ?? 0;
}
