// Auth's SMS: the message text (Supabase's default, "Your code is …") and the transactional
// enqueue into _groundwork.outbox (channel 'sms') in the caller's transaction, with an
// observation for the log so developers can read codes locally. The same statement notifies
// the SMS sender (src/sms/sender.ts), which PostgreSQL delivers only once the transaction
// commits, as for emails.
import { sql } from '../lib/sql.ts';
import type { Queryable } from '../db/port.ts';
import type { Observer } from '../observe/events.ts';
import { NOTIFY_CHANNEL } from '../outbox/claims.ts';

export type SmsKind = 'confirmation' | 'phone_change' | 'reauthentication';

export interface Sms {
  readonly kind: SmsKind;
  /** E.164 digits without `+`. */
  readonly to: string;
  readonly otp: string;
}

export const smsBody = (otp: string): string => `Your code is ${otp}`;

/** Queues the message; its outbox id is the message id clients get back. */
/** `reveal`: the log shows the text (and its code) only while SMS stay in the outbox, with no provider. */
export async function enqueueSms(tx: Queryable, observe: Observer, sms: Sms, reveal: boolean): Promise<string> {
  const body = smsBody(sms.otp);
  const { rows } = await tx.query<{ id: string }>(sql`
    with queued as (insert into _groundwork.outbox (channel, recipient, subject, body, kind) values ('sms', ${sms.to}, '', ${body}, ${sms.kind}) returning id)
    select id::text, pg_notify(${NOTIFY_CHANNEL.sms}, id::text) from queued`);
  const messageId = rows[0]?.id as string;
  observe({ type: 'sms', kind: sms.kind, to: sms.to, messageId, ...(reveal ? { body } : {}) });
  return messageId;
}
