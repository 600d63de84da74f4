// Auth's SMS: the message text (Supabase's default, "Your code is …") and the transactional
// enqueue into _groundwork.outbox (channel 'sms') in the caller's transaction, with an
// observation for the log so developers can read codes locally. The same statement notifies
// the SMS sender (src/sms/sender.ts), which PostgreSQL delivers only once the transaction
// commits, as for emails.
import type { Queryable } from '../db/port.ts';
import type { Observer } from '../observe/events.ts';
import { enqueue } from '../outbox/claims.ts';

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
  const messageId = await enqueue(tx, 'sms', { recipient: sms.to, subject: '', body, kind: sms.kind });
  observe({ type: 'sms', kind: sms.kind, to: sms.to, messageId, ...(reveal ? { body } : {}) });
  return messageId;
}
