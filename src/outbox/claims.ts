// The outbox's delivery queries, shared by the email and SMS senders. A claim takes unsent,
// unleased rows of one channel with `for update skip locked` and leases them in the same
// statement, so several nodes draining one database never take the same row; a node that
// dies mid-send leaves a lease that runs out, and another node (or this one, restarted)
// takes the row again.
import { sql } from '../lib/sql.ts';
import type { Queryable } from '../db/port.ts';

export type OutboxChannel = 'email' | 'sms';

/** NOTIFY channel raised (after commit) for each queued message, one per outbox channel so a sender wakes only for its own. */
export const NOTIFY_CHANNEL: Readonly<Record<OutboxChannel, string>> = { email: 'groundwork_outbox', sms: 'groundwork_outbox_sms' };

/** A claim covers one send: longer than the SMTP timeouts (src/mail/smtp.ts) and the SMS provider's (src/sms/http.ts). */
export const LEASE_SECONDS = 120;
/** A message older than this is never sent: every code it carries has expired (code lifetimes are capped at a day). */
export const MAX_AGE_SECONDS = 86_400;
/** After this many failed sends a row is left alone: its codes have long expired. */
export const MAX_ATTEMPTS = 10;

/** Queues a message in the caller's transaction; its NOTIFY reaches the channel's senders only at commit. Returns its id. */
export async function enqueue(tx: Queryable, channel: OutboxChannel, m: { recipient: string; subject: string; body: string; kind: string }): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(sql`
    with queued as (insert into _groundwork.outbox (channel, recipient, subject, body, kind) values (${channel}, ${m.recipient}, ${m.subject}, ${m.body}, ${m.kind}) returning id)
    select id::text, pg_notify(${NOTIFY_CHANNEL[channel]}, id::text) from queued`);
  return rows[0]?.id as string;
}

export interface OutboxRow {
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

export async function claim(db: Queryable, channel: OutboxChannel, limit: number): Promise<OutboxRow[]> {
  const { rows } = await db.query<{ id: number; recipient: string; subject: string; body: string; kind: string; attempts: number }>(sql`
    update _groundwork.outbox set leased_until = now() + make_interval(secs => ${LEASE_SECONDS}), attempts = attempts + 1
    where id in (
      select id from _groundwork.outbox
      where sent_at is null and channel = ${channel} and attempts < ${MAX_ATTEMPTS} and (leased_until is null or leased_until <= now())
        and created_at > now() - make_interval(secs => ${MAX_AGE_SECONDS})
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

/** A send the provider refused for good (SMTP 5xx, HTTP 4xx but 408/429): retrying cannot help. */
export class PermanentDeliveryError extends Error {
  override readonly name = 'PermanentDeliveryError';
}

/** Gives a row up after a permanent refusal: no more attempts, its error kept. */
export async function markAbandoned(db: Queryable, id: number, error: string): Promise<void> {
  await db.query(sql`update _groundwork.outbox set attempts = greatest(attempts, ${MAX_ATTEMPTS}), leased_until = null, last_error = ${error} where id = ${id}`);
}

/** Gives claimed rows back untried (a stopping node), so another node need not wait for the lease. */
export async function release(db: Queryable, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.query(sql`update _groundwork.outbox set leased_until = null, attempts = attempts - 1 where id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::bigint) and sent_at is null`);
}
