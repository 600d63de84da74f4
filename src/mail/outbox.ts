// The outbox's delivery queries, for the sender. A claim takes unsent, unleased email rows
// with `for update skip locked` and leases them in the same statement, so several nodes
// draining one database never take the same row; a node that dies mid-send leaves a lease
// that runs out, and another node (or this one, restarted) takes the row again.
import { sql } from '../lib/sql.ts';
import type { Queryable } from '../db/port.ts';

/** NOTIFY channel raised (after commit) for each queued email. */
export const OUTBOX_CHANNEL = 'groundwork_outbox';

/** A claim covers one send: longer than the SMTP timeouts (src/mail/smtp.ts). */
export const LEASE_SECONDS = 120;
/** After this many failed sends a row is left alone: its codes have long expired. */
export const MAX_ATTEMPTS = 10;

export interface OutboxMail {
  readonly id: number;
  readonly recipient: string;
  readonly subject: string;
  readonly body: string;
  readonly kind: string;
  /** Including this one. */
  readonly attempts: number;
}

/** Seconds to wait before sending again after failed attempt number `attempts` (1-based): 5 s doubling, at most 15 minutes. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(5 * 2 ** Math.max(0, attempts - 1), 900);
}

export async function claimMail(db: Queryable, limit: number): Promise<OutboxMail[]> {
  const { rows } = await db.query<{ id: number; recipient: string; subject: string; body: string; kind: string; attempts: number }>(sql`
    update _groundwork.outbox set leased_until = now() + make_interval(secs => ${LEASE_SECONDS}), attempts = attempts + 1
    where id in (
      select id from _groundwork.outbox
      where sent_at is null and channel = 'email' and attempts < ${MAX_ATTEMPTS} and (leased_until is null or leased_until <= now())
      order by id limit ${limit}
      for update skip locked)
    returning id::int, recipient, subject, body, kind, attempts`);
  return rows.sort((a, b) => a.id - b.id);
}

export async function markSent(db: Queryable, id: number): Promise<void> {
  await db.query(sql`update _groundwork.outbox set sent_at = now(), leased_until = null, last_error = null where id = ${id}`);
}

/** Keeps the row for a later attempt, held back by the backoff; the lease column doubles as "not before". */
export async function markFailed(db: Queryable, id: number, error: string, retryInSeconds: number): Promise<void> {
  await db.query(sql`update _groundwork.outbox set leased_until = now() + make_interval(secs => ${retryInSeconds}), last_error = ${error} where id = ${id}`);
}

/** Gives claimed rows back untried (a stopping node), so another node need not wait for the lease. */
export async function releaseMail(db: Queryable, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.query(sql`update _groundwork.outbox set leased_until = null, attempts = attempts - 1 where id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::bigint) and sent_at is null`);
}

export type DeliveryStatus = 'sent' | 'pending' | 'retrying' | 'failed';

/** The newest messages with their delivery state, for `GET /auth/v1/admin/outbox`. */
export async function listOutbox(db: Queryable, limit: number): Promise<Record<string, unknown>[]> {
  const { rows } = await db.query(sql`
    select id::int, channel, recipient as to, subject, body, kind, created_at::text,
      case when sent_at is not null then 'sent' when attempts >= ${MAX_ATTEMPTS} then 'failed' when last_error is not null then 'retrying' else 'pending' end as status,
      sent_at::text, attempts, last_error,
      case when sent_at is null and last_error is not null and attempts < ${MAX_ATTEMPTS} then leased_until::text end as next_attempt_at
    from _groundwork.outbox order by id desc limit ${limit}`);
  return rows;
}
