// SMS codes: a 6-digit code (or a test number's fixed one) stored hashed on the user, in
// `confirmation_token` (sign-up, sign-in) or `phone_change_token` (a new phone), mirrored in
// auth.one_time_tokens, with its SMS queued in the same transaction. At most one per purpose
// a minute per user, as Supabase Auth allows by default.
import type { Queryable } from '../../db/port.ts';
import { authErrors } from '../errors.ts';
import { newOtp, tokenHash } from '../codes/otp.ts';
import { enqueueSms } from '../messages/sms.ts';
import { saveSmsCode, secondsToWait } from '../store/codes.ts';
import type { AuthDeps } from '../types.ts';

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
export async function issueSmsCode(tx: Queryable, deps: AuthDeps, userId: string, phone: string, kind: 'confirmation' | 'phone_change'): Promise<string> {
  const testOtp = smsTestCode(deps, phone);
  const wait = await secondsToWait(tx, userId, kind);
  if (wait > 0) throw authErrors.smsRateLimit(wait);
  const otp = testOtp ?? newOtp();
  await saveSmsCode(tx, userId, phone, kind, tokenHash(phone, otp));
  return testOtp === undefined ? enqueueSms(tx, deps, { kind, to: phone, otp }) : TEST_OTP_MESSAGE_ID;
}
