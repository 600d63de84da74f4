// POST /verify with `phone` + `token`, type `sms` (the code confirming the number, or signing
// in with it) or `phone_change` (the code sent to a new number, which applies the change).
// A test number's fixed code is always accepted, as Supabase Auth does with its test OTPs.
import type { Queryable } from '../../db/port.ts';
import { e164 } from '../../lib/phone.ts';
import { authErrors } from '../errors.ts';
import { sameToken, tokenHash } from '../codes/otp.ts';
import { lockSmsCodeHolder } from '../store/codes.ts';
import { applyPhoneChange, confirmPhone } from '../store/phones.ts';
import type { AuthDeps, Body } from '../types.ts';

const present = (v: unknown) => typeof v === 'string' && v !== '';

/** Checks the code and applies its effect; returns the user to sign in. */
export async function verifyPhoneCode(tx: Queryable, deps: AuthDeps, body: Body, type: 'sms' | 'phone_change'): Promise<string> {
  const hasToken = present(body['token']);
  if (hasToken === present(body['token_hash'])) throw authErrors.validation('Verify requires either a token or a token hash');
  // Phone codes are never sent as links, so a token hash (or a code without a phone) matches no user.
  if (!hasToken || !present(body['phone'])) {
    if (hasToken && !present(body['email'])) throw authErrors.validation('Only an email address or phone number should be provided on verify');
    throw authErrors.otpExpired();
  }
  if (present(body['email'])) throw authErrors.validation('Only an email address or phone number should be provided on verify');
  const phone = e164(body['phone']);
  if (phone === undefined) throw authErrors.invalidPhone();
  const token = String(body['token']);
  const user = await lockSmsCodeHolder(tx, phone, type, deps.config.smsOtpExpiry);
  if (user === undefined) throw authErrors.otpExpired();
  const hash = tokenHash(phone, token);
  const testOtp = deps.config.smsTestOtp.get(phone);
  const valid = (testOtp !== undefined && sameToken(tokenHash(phone, testOtp), hash)) || (user.live && sameToken(user.token, hash));
  if (!valid) throw authErrors.otpExpired();
  if (user.banned) throw authErrors.verifyBanned();
  if (type === 'sms') await confirmPhone(tx, user.id);
  else await applyPhoneChange(tx, user.id, phone);
  return user.id;
}
