// Auth's SMS: the message text (the configured template, Supabase's "Your code is
// {{ .Code }}" by default) and the transactional enqueue into _groundwork.outbox (channel
// 'sms') in the caller's transaction, with an observation for the log so developers can read
// codes locally. The same statement notifies the SMS sender (src/sms/sender.ts), which
// PostgreSQL delivers only once the transaction commits, as for emails.
import type { Queryable } from '../../db/port.ts';
import { enqueue } from '../../outbox/claims.ts';
import { authErrors } from '../errors.ts';
import { hit } from '../store/rate-limits.ts';
import type { AuthDeps } from '../types.ts';

export type SmsKind = 'confirmation' | 'phone_change' | 'reauthentication';

export interface Sms {
  readonly kind: SmsKind;
  /** E.164 digits without `+`. */
  readonly to: string;
  readonly otp: string;
}

/** The template with its `{{ .Code }}` filled in (config checked at start-up that it has one). */
export const smsBody = (template: string, otp: string): string => template.replace(/\{\{-?\s*\.Code\s*-?\}\}/g, otp);

/**
 * Queues the message; its outbox id is the message id clients get back. The log shows the
 * text (and so the code) only while SMS stay in the outbox, with no provider.
 */
export async function enqueueSms(tx: Queryable, deps: Pick<AuthDeps, 'observe' | 'smsProvider' | 'config'>, sms: Sms): Promise<string> {
  if (deps.smsProvider !== undefined) await hit(tx, 'sms-sent', deps.config.rateLimits.smsSent, 3600, authErrors.smsSentLimit);
  const body = smsBody(deps.config.smsTemplate, sms.otp);
  const messageId = await enqueue(tx, 'sms', { recipient: sms.to, subject: '', body, kind: sms.kind });
  deps.observe({ type: 'sms', kind: sms.kind, to: sms.to, messageId, ...(deps.smsProvider === undefined ? { body } : {}) });
  return messageId;
}
