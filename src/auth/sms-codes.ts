// SMS codes: a 6-digit code (or a test number's fixed one) stored hashed on the user, in
// `confirmation_token` (sign-up, sign-in) or `phone_change_token` (a new phone), mirrored in
// auth.one_time_tokens, with its SMS queued in the same transaction. At most one per purpose
// a minute per user, as Supabase Auth allows by default.
import { sql } from '../lib/sql.ts';
import type { Queryable } from '../db/port.ts';
import { authErrors } from './errors.ts';
import type { AuthDeps } from './flows.ts';
import { secondsToWait } from './email-flows.ts';
import { newOtp, tokenHash } from './otp.ts';
import { enqueueSms, type SmsKind } from './sms.ts';

/** The message id Supabase Auth reports when a test number got no SMS. */
export const TEST_OTP_MESSAGE_ID = 'test-otp';

/** `channel` of a phone request: SMS (the default); WhatsApp needs a provider that has it, and ours does not. */
export function checkChannel(channel: unknown): void {
  if (channel === undefined || channel === null || channel === '' || channel === 'sms') return;
  throw authErrors.invalidChannel();
}

/** A test number's fixed code, else undefined; refuses a real number when no SMS can be sent at all. */
export function smsTestCode(deps: AuthDeps, phone: string): string | undefined {
  const testOtp = deps.config.smsTestOtp.get(phone);
  if (testOtp === undefined && deps.smsProvider === undefined && !deps.config.smsOutbox) throw authErrors.noSmsProvider();
  return testOtp;
}

/**
 * Issues a code for `phone`: refuses within a minute of the last one of that kind, stores its
 * hash (for a phone change, with the pending phone), and queues the SMS unless the number
 * is a test number. Returns the message id.
 */
export async function issueSmsCode(tx: Queryable, deps: AuthDeps, userId: string, phone: string, kind: SmsKind): Promise<string> {
  const testOtp = smsTestCode(deps, phone);
  const wait = await secondsToWait(tx, userId, kind === 'confirmation' ? sql`confirmation_sent_at` : sql`phone_change_sent_at`);
  if (wait > 0) throw authErrors.smsRateLimit(wait);
  const otp = testOtp ?? newOtp();
  const hash = tokenHash(phone, otp);
  if (kind === 'confirmation') await tx.query(sql`update auth.users set confirmation_token = ${hash}, confirmation_sent_at = now() where id = ${userId}::uuid`);
  else await tx.query(sql`update auth.users set phone_change = ${phone}, phone_change_token = ${hash}, phone_change_sent_at = now() where id = ${userId}::uuid`);
  const tokenType = kind === 'confirmation' ? 'confirmation_token' : 'phone_change_token';
  await tx.query(sql`insert into auth.one_time_tokens (id, user_id, token_type, token_hash, relates_to) values (gen_random_uuid(), ${userId}::uuid, ${tokenType}::auth.one_time_token_type, ${hash}, ${phone})
    on conflict (user_id, token_type) do update set token_hash = excluded.token_hash, relates_to = excluded.relates_to, updated_at = now()`);
  return testOtp === undefined ? enqueueSms(tx, deps, { kind, to: phone, otp }) : TEST_OTP_MESSAGE_ID;
}
