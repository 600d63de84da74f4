// Reauthentication: `GET /reauthenticate` emails a 6-digit nonce to a signed-in user, and a
// password change passes it back as `nonce`. As in Supabase Auth, the nonce is demanded only
// when secure password change is on and the session is over 24 hours old.
import { sql } from '../lib/sql.ts';
import type { Queryable } from '../db/port.ts';
import { AuthError, authErrors } from './errors.ts';
import type { Authenticated, AuthDeps } from './flows.ts';
import { RESEND_INTERVAL } from './email-flows.ts';
import { enqueueMail, mailSettings } from './mail.ts';
import { asObject } from './validate.ts';
import { newOtp, sameToken, tokenHash } from './otp.ts';

export async function reauthenticate(deps: AuthDeps, who: Authenticated): Promise<Record<string, never>> {
  await deps.db.transaction(async (tx) => {
    const { rows } = await tx.query<{ email: string | null; confirmed: boolean; wait: number | null; data: unknown }>(sql`
      select nullif(email, '') as email, email_confirmed_at is not null as confirmed, raw_user_meta_data as data,
        ceil(extract(epoch from (reauthentication_sent_at + make_interval(secs => ${RESEND_INTERVAL}) - now())))::int as wait
      from auth.users where id = ${who.userId}::uuid`);
    const user = rows[0];
    if (user === undefined) throw authErrors.userNotFound();
    if (user.email === null) throw authErrors.validation('Reauthentication requires the user to have an email or a phone number');
    if (!user.confirmed) throw new AuthError(422, 'email_not_confirmed', 'Please verify your email first.');
    if (user.wait !== null && user.wait > 0) throw authErrors.emailRateLimit(user.wait);
    const nonce = newOtp();
    await tx.query(sql`update auth.users set reauthentication_token = ${tokenHash(user.email, nonce)}, reauthentication_sent_at = now() where id = ${who.userId}::uuid`);
    await enqueueMail(tx, deps.observe, { kind: 'reauthentication', to: user.email, link: null, otp: nonce, data: asObject(user.data) ?? {} }, mailSettings(deps));
  });
  return {};
}

/** Before a password change: demands and spends the nonce when the configuration asks for it. */
export async function checkReauthentication(tx: Queryable, deps: AuthDeps, who: Authenticated, nonce: unknown): Promise<void> {
  if (!deps.config.securePasswordChange) return;
  const { rows } = await tx.query<{ recent: boolean; email: string | null; token: string | null; live: boolean }>(sql`
    select coalesce((select created_at > now() - interval '24 hours' from auth.sessions where id = ${who.sessionId ?? null}::uuid), false) as recent,
      nullif(email, '') as email, nullif(reauthentication_token, '') as token,
      coalesce(reauthentication_sent_at + make_interval(secs => ${deps.config.otpExpiry}) > now(), false) as live
    from auth.users where id = ${who.userId}::uuid`);
  const row = rows[0];
  if (row === undefined || row.recent) return;
  if (typeof nonce !== 'string' || nonce === '') throw new AuthError(400, 'reauthentication_needed', 'Password update requires reauthentication');
  if (row.email === null || row.token === null || !row.live || !sameToken(row.token, tokenHash(row.email, nonce))) {
    throw new AuthError(422, 'reauthentication_not_valid', 'Nonce has expired or is invalid');
  }
  await tx.query(sql`update auth.users set reauthentication_token = '' where id = ${who.userId}::uuid`);
}
