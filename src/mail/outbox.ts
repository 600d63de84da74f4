// The outbox as the email sender and the admin endpoint see it: the shared claim queries
// (src/outbox/claims.ts) bound to the email channel, and the listing with delivery states.
import { sql } from '../lib/sql.ts';
import type { Queryable } from '../db/port.ts';
import { claim, MAX_ATTEMPTS, NOTIFY_CHANNEL, release, type OutboxRow } from '../outbox/claims.ts';

export { LEASE_SECONDS, markFailed, markSent, MAX_ATTEMPTS, retryDelaySeconds } from '../outbox/claims.ts';

/** NOTIFY channel raised (after commit) for each queued email. */
export const OUTBOX_CHANNEL = NOTIFY_CHANNEL.email;

export type OutboxMail = OutboxRow;

export const claimMail = (db: Queryable, limit: number): Promise<OutboxMail[]> => claim(db, 'email', limit);

export const releaseMail = release;

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
