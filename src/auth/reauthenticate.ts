// Reauthentication: `GET /reauthenticate` emails a 6-digit nonce to a signed-in user (or
// texts it to a user with only a phone), and a password change passes it back as `nonce`.
// As in Supabase Auth, the nonce is demanded only when secure password change is on and the
// session is over 24 hours old.
import { sql } from '../lib/sql.ts';
import type { Queryable } from '../db/port.ts';
import { authErrors } from './errors.ts';
import type { Authenticated, AuthDeps } from './flows.ts';
import { RESEND_INTERVAL } from './email-flows.ts';
import { enqueueMail, mailSettings } from './mail.ts';
import { asObject } from './validate.ts';
import { newOtp, sameToken, tokenHash } from './otp.ts';
import { enqueueSms } from './sms.ts';
import { smsTestCode, TEST_OTP_MESSAGE_ID } from './sms-codes.ts';

/** Sends the nonce by email or, for a user with only a phone, by SMS (`message_id` then). */
export async function reauthenticate(deps: AuthDeps, who: Authenticated): Promise<Record<string, never> | { message_id: string }> {
  return deps.db.transaction(async (tx): Promise<Record<string, never> | { message_id: string }> => {
    const { rows } = await tx.query<{ email: string | null; phone: string | null; email_ok: boolean; phone_ok: boolean; wait: number | null; data: unknown }>(sql`
      select nullif(email, '') as email, nullif(phone, '') as phone, email_confirmed_at is not null as email_ok,
        phone_confirmed_at is not null as phone_ok, raw_user_meta_data as data,
        ceil(extract(epoch from (reauthentication_sent_at + make_interval(secs => ${RESEND_INTERVAL}) - now())))::int as wait
      from auth.users where id = ${who.userId}::uuid`);
    const user = rows[0];
    if (user === undefined) throw authErrors.userNotFound();
    const address = user.email ?? user.phone;
    if (address === null) throw authErrors.validation('Reauthentication requires the user to have an email or a phone number');
    if (user.email !== null && !user.email_ok) throw authErrors.emailNotConfirmedForReauth();
    if (user.email === null && !user.phone_ok) throw authErrors.phoneNotConfirmed();
    if (user.wait !== null && user.wait > 0) throw user.email === null ? authErrors.smsRateLimit(user.wait) : authErrors.emailRateLimit(user.wait);
    const testOtp = user.email === null ? smsTestCode(deps, address) : undefined;
    const nonce = testOtp ?? newOtp();
    await tx.query(sql`update auth.users set reauthentication_token = ${tokenHash(address, nonce)}, reauthentication_sent_at = now() where id = ${who.userId}::uuid`);
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
  const { rows } = await tx.query<{ recent: boolean; email: string | null; token: string | null; live: boolean }>(sql`
    select coalesce((select created_at > now() - interval '24 hours' from auth.sessions where id = ${who.sessionId ?? null}::uuid), false) as recent,
      coalesce(nullif(email, ''), nullif(phone, '')) as email, nullif(reauthentication_token, '') as token,
      coalesce(reauthentication_sent_at + make_interval(secs => ${deps.config.otpExpiry}) > now(), false) as live
    from auth.users where id = ${who.userId}::uuid`);
  const row = rows[0];
  if (row === undefined || row.recent) return;
  if (typeof nonce !== 'string' || nonce === '') throw authErrors.reauthenticationNeeded();
  if (row.email === null || row.token === null || !row.live || !sameToken(row.token, tokenHash(row.email, nonce))) {
    throw authErrors.reauthenticationNotValid();
  }
  await tx.query(sql`update auth.users set reauthentication_token = '' where id = ${who.userId}::uuid`);
}
