// Reauthentication: `GET /reauthenticate` emails a 6-digit nonce to a signed-in user (or
// texts it to a user with only a phone), and a password change passes it back as `nonce`.
// As in Supabase Auth, the nonce is demanded only when secure password change is on and the
// session is over 24 hours old.
import type { Queryable } from '../../db/port.ts';
import { authErrors } from '../errors.ts';
import { newOtp, sameToken, tokenHash } from '../codes/otp.ts';
import { enqueueMail, mailSettings } from '../messages/mail.ts';
import { enqueueSms } from '../messages/sms.ts';
import { nonceState, reauthTarget, saveNonce, spendNonce } from '../store/reauthentication.ts';
import type { AuthDeps, Authenticated } from '../types.ts';
import { asObject } from '../validate.ts';
import { smsTestCode, TEST_OTP_MESSAGE_ID } from './sms-codes.ts';

/** Sends the nonce by email or, for a user with only a phone, by SMS (`message_id` then). */
export async function reauthenticate(deps: AuthDeps, who: Authenticated): Promise<Record<string, never> | { message_id: string }> {
  return deps.db.transaction(async (tx): Promise<Record<string, never> | { message_id: string }> => {
    const user = await reauthTarget(tx, who.userId);
    if (user === undefined) throw authErrors.userNotFound();
    const address = user.email ?? user.phone;
    if (address === null) throw authErrors.validation('Reauthentication requires the user to have an email or a phone number');
    if (user.email !== null && !user.email_ok) throw authErrors.emailNotConfirmedForReauth();
    if (user.email === null && !user.phone_ok) throw authErrors.phoneNotConfirmed();
    if (user.wait !== null && user.wait > 0) throw user.email === null ? authErrors.smsRateLimit(user.wait) : authErrors.emailRateLimit(user.wait);
    const testOtp = user.email === null ? smsTestCode(deps, address) : undefined;
    const nonce = testOtp ?? newOtp();
    await saveNonce(tx, who.userId, tokenHash(address, nonce));
    if (user.email !== null) {
      await enqueueMail(tx, deps.observe, { kind: 'reauthentication', to: user.email, link: null, otp: nonce, data: asObject(user.data) ?? {} }, mailSettings(deps));
      return {};
    }
    return { message_id: testOtp === undefined ? await enqueueSms(tx, deps, { kind: 'reauthentication', to: address, otp: nonce }) : TEST_OTP_MESSAGE_ID };
  });
}

/** Before a password change: demands and spends the nonce when the configuration asks for it. */
export async function checkReauthentication(tx: Queryable, deps: AuthDeps, who: Authenticated, nonce: unknown): Promise<void> {
  if (!deps.config.securePasswordChange) return;
  const row = await nonceState(tx, who.userId, who.sessionId, deps.config.otpExpiry);
  if (row === undefined || row.recent) return;
  if (typeof nonce !== 'string' || nonce === '') throw authErrors.reauthenticationNeeded();
  if (row.email === null || row.token === null || !row.live || !sameToken(row.token, tokenHash(row.email, nonce))) {
    throw authErrors.reauthenticationNotValid();
  }
  await spendNonce(tx, who.userId);
}
