// Phone flows: sign-up with a phone and password, SMS codes (`/otp`), resending them, and
// changing a user's phone (`PUT /user`), as Supabase Auth does them. Password sign-in by
// phone is password.ts; checking codes is phone-verify.ts. Each runs in the caller's
// transaction or opens one; SMS are queued in it (sms-codes.ts).
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../db/port.ts';
import { formatPhone } from '../../lib/phone.ts';
import { authErrors } from '../errors.ts';
import { applyPhoneChange, confirmPhone, createPhoneUser, findUserByPhone, phoneOf, phoneTaken } from '../store/phones.ts';
import { hashPassword, userJson } from '../store/users.ts';
import type { AuthDeps, Body, SessionResponse, UserJson } from '../types.ts';
import { asObject, checkPassword, normalisePhone, passwordPolicy, present } from '../validate.ts';
import { lookalikeUser } from './lookalike.ts';
import { session } from './session.ts';
import { checkChannel, issueSmsCode, smsTestCode } from './sms-codes.ts';

/** POST /signup with `phone` (after signup has checked the sign-up switch). */
export async function phoneSignup(deps: AuthDeps, body: Body): Promise<SessionResponse | UserJson> {
  const password = checkPassword(body['password'], passwordPolicy(deps.config));
  if (present(body['email'])) throw authErrors.validation('Only an email address or phone number should be provided on signup.');
  checkChannel(body['channel']);
  if (present(body['code_challenge'])) throw authErrors.validation('PKCE not supported for phone signups');
  if (!deps.config.phoneEnabled) throw authErrors.phoneSignupsDisabled();
  const phone = normalisePhone(body['phone']);
  const data = asObject(body['data']) ?? {};
  // Before the number is looked up, so a missing provider answers alike for known and new numbers.
  if (!deps.config.phoneAutoconfirm) smsTestCode(deps, phone);
  return deps.db.transaction(async (tx) => {
    const existing = await findUserByPhone(tx, phone);
    if (existing !== undefined) {
      // Only this channel's setting: phone confirmations on must not reveal taken numbers.
      if (existing.confirmed && deps.config.phoneAutoconfirm) throw authErrors.userAlreadyExists();
      // Unconfirmed: the code is sent again (the user row is left as it was).
      if (!existing.confirmed) await issueSmsCode(tx, deps, existing.id, phone, 'confirmation');
      return lookalikeUser('phone', phone, data);
    }
    const id = await createPhoneUser(tx, { phone, passwordHash: await hashPassword(tx, password), data, confirmed: deps.config.phoneAutoconfirm });
    if (deps.config.phoneAutoconfirm) return session(deps, tx, id, 'password');
    await issueSmsCode(tx, deps, id, phone, 'confirmation');
    return (await userJson(tx, id)) as UserJson;
  });
}

/** POST /otp with `phone`: signs the number up first when allowed and needed, then texts a code. */
export async function phoneOtp(deps: AuthDeps, body: Body): Promise<{ message_id: string }> {
  if (present(body['email'])) throw authErrors.validation('Only an email address or phone number should be provided');
  if (!deps.config.phoneEnabled) throw authErrors.phoneProviderUnsupported();
  const createAllowed = body['create_user'] !== false;
  checkChannel(body['channel']);
  // Supabase Auth's quirk: without create_user a malformed number is just an unknown one.
  const phone = createAllowed ? normalisePhone(body['phone']) : formatPhone(String(body['phone']));
  smsTestCode(deps, phone);
  return deps.db.transaction(async (tx) => {
    let user = await findUserByPhone(tx, phone);
    if (user === undefined) {
      if (!createAllowed) throw authErrors.otpDisabled();
      if (deps.config.disableSignup) throw authErrors.signupDisabled();
      const hash = await hashPassword(tx, randomBytes(48).toString('base64url'));
      const id = await createPhoneUser(tx, { phone, passwordHash: hash, data: asObject(body['data']) ?? {}, confirmed: deps.config.phoneAutoconfirm });
      user = { id, encrypted_password: hash, confirmed: deps.config.phoneAutoconfirm, banned: false };
    } else if (!user.confirmed && deps.config.phoneAutoconfirm) {
      await confirmPhone(tx, user.id);
    }
    // Unconfirmed, the code confirms the number as it signs in; confirmed, it just signs in.
    return { message_id: await issueSmsCode(tx, deps, user.id, phone, 'confirmation') };
  });
}

/** POST /resend for `sms` (an unconfirmed number) or `phone_change` (a pending new number). */
export async function phoneResend(deps: AuthDeps, body: Body, type: 'sms' | 'phone_change'): Promise<{ message_id?: string }> {
  if (!present(body['phone'])) throw authErrors.validation('Type provided requires a phone number');
  const phone = normalisePhone(body['phone']);
  smsTestCode(deps, phone);
  return deps.db.transaction(async (tx) => {
    const user = await findUserByPhone(tx, phone, type === 'sms' ? 'phone' : 'phone_change');
    // Nothing pending: an empty answer. As in Supabase Auth, a pending one gets a message id.
    if (user === undefined || (type === 'sms' && user.confirmed)) return {};
    return { message_id: await issueSmsCode(tx, deps, user.id, phone, type === 'sms' ? 'confirmation' : 'phone_change') };
  });
}

/** PUT /user with `phone`: texts a code to the new number (applied by /verify type phone_change), or applies it at once with phone autoconfirm. */
export async function changePhone(tx: Queryable, deps: AuthDeps, userId: string, body: Body): Promise<void> {
  const phone = normalisePhone(body['phone']);
  checkChannel(body['channel']);
  if (!deps.config.phoneEnabled) throw authErrors.phoneProviderUnsupported();
  if ((await phoneOf(tx, userId)) === phone) return;
  if (await phoneTaken(tx, phone, userId)) throw authErrors.phoneExists();
  if (deps.config.phoneAutoconfirm) await applyPhoneChange(tx, userId, phone);
  else await issueSmsCode(tx, deps, userId, phone, 'phone_change');
}
