// Changing a user's email address: the new address takes effect only once confirmed. With
// secure email change (the default, as in Supabase) the current address must confirm too,
// each with its own code and link; the first confirmation answers "accepted, now the other".
import { sql } from '../lib/sql.ts';
import type { Queryable } from '../db/port.ts';
import { authErrors } from './errors.ts';
import type { AuthDeps, Authenticated } from './flows.ts';
import { RESEND_INTERVAL, verifyUrl } from './email-flows.ts';
import { enqueueMail, mailSettings } from './mail.ts';
import { newOtp, sameToken, tokenHash } from './otp.ts';
import { createFlowState, PKCE_PREFIX, type Pkce } from './pkce.ts';
import { setIdentity } from './store.ts';

export const HALF_CONFIRMED = 'Confirmation link accepted. Please proceed to confirm link sent to the other email';

interface Code {
  readonly otp: string;
  readonly hash: string;
}

export interface EmailChangeCodes {
  readonly next: Code;
  /** Absent when only the new address confirms (secure change off, or no current address). */
  readonly current: Code | undefined;
}

const code = (email: string, pkce: boolean): Code => {
  const otp = newOtp();
  return { otp, hash: (pkce ? PKCE_PREFIX : '') + tokenHash(email, otp) };
};

/** Records the pending change and its codes on the user (and in auth.one_time_tokens). */
export async function storeEmailChange(tx: Queryable, userId: string, currentEmail: string, newEmail: string, secure: boolean, pkce = false): Promise<EmailChangeCodes> {
  const next = code(newEmail, pkce);
  const current = secure && currentEmail !== '' ? code(currentEmail, pkce) : undefined;
  await tx.query(sql`update auth.users set email_change = ${newEmail}, email_change_token_new = ${next.hash},
    email_change_token_current = ${current?.hash ?? ''}, email_change_confirm_status = 0, email_change_sent_at = now(), updated_at = now()
    where id = ${userId}::uuid`);
  const tokens: Array<[string, string, string]> = [['email_change_token_new', next.hash, newEmail]];
  if (current !== undefined) tokens.push(['email_change_token_current', current.hash, currentEmail]);
  await tx.query(sql`delete from auth.one_time_tokens where user_id = ${userId}::uuid and token_type in ('email_change_token_new', 'email_change_token_current')`);
  for (const [type, hash, relatesTo] of tokens) {
    await tx.query(sql`insert into auth.one_time_tokens (id, user_id, token_type, token_hash, relates_to)
      values (gen_random_uuid(), ${userId}::uuid, ${type}::auth.one_time_token_type, ${hash}, ${relatesTo})`);
  }
  return { next, current };
}

/** Makes `email` the user's confirmed address, with an email identity, and clears any pending change. */
export async function applyEmail(tx: Queryable, userId: string, email: string): Promise<void> {
  await tx.query(sql`update auth.users set email = ${email}, email_confirmed_at = now(), is_anonymous = false,
    email_change = '', email_change_token_new = '', email_change_token_current = '', email_change_confirm_status = 0,
    raw_user_meta_data = coalesce(raw_user_meta_data, '{}') || '{"email_verified": true}', updated_at = now() where id = ${userId}::uuid`);
  await setIdentity(tx, userId, 'email', { email, email_verified: true }, { sub: userId, email, email_verified: true, phone_verified: false });
  await tx.query(sql`delete from auth.one_time_tokens where user_id = ${userId}::uuid and token_type in ('email_change_token_new', 'email_change_token_current')`);
}

/** PUT /user with a new email: applied at once for an anonymous user under autoconfirm, else confirmed by email. */
export async function requestEmailChange(tx: Queryable, deps: AuthDeps, who: Authenticated, newEmail: string, redirectTo: string | undefined, pkce: Pkce | undefined): Promise<void> {
  const { rows } = await tx.query<{ email: string; anonymous: boolean; wait: number | null }>(sql`
    select coalesce(email, '') as email, is_anonymous as anonymous,
      ceil(extract(epoch from (email_change_sent_at + make_interval(secs => ${RESEND_INTERVAL}) - now())))::int as wait
    from auth.users where id = ${who.userId}::uuid`);
  const user = rows[0];
  if (user === undefined) throw authErrors.userNotFound();
  if (user.email === newEmail) return;
  if (user.anonymous && deps.config.autoconfirm) return applyEmail(tx, who.userId, newEmail);
  if (user.wait !== null && user.wait > 0) throw authErrors.emailRateLimit(user.wait);
  if (pkce !== undefined) await createFlowState(tx, who.userId, pkce, 'email_change');
  const codes = await storeEmailChange(tx, who.userId, user.email, newEmail, deps.config.secureEmailChange, pkce !== undefined);
  const send = (to: string, c: Code) => {
    const { link, redirect } = verifyUrl(deps, c.hash, 'email_change', redirectTo);
    const mail = { kind: 'email_change' as const, to, email: user.email, newEmail, link, otp: c.otp, tokenHash: c.hash, redirectTo: redirect };
    return enqueueMail(tx, deps.observe, mail, mailSettings(deps));
  };
  await send(newEmail, codes.next);
  if (codes.current !== undefined) await send(user.email, codes.current);
}

export interface EmailChangeVerified {
  readonly userId: string;
  readonly pkce: boolean;
  /** Secure change with one of the two addresses confirmed so far. */
  readonly pending: boolean;
}

/**
 * /verify type email_change: a code typed with either address, or a link's token hash. The
 * change applies once every address it needs has confirmed.
 */
export async function consumeEmailChange(tx: Queryable, deps: AuthDeps, hash: string, email: string | undefined): Promise<EmailChangeVerified> {
  const viaLink = email === undefined;
  const match = viaLink
    ? sql`(email_change_token_new = ${hash} or email_change_token_current = ${hash})`
    : sql`(lower(email) = ${email} or lower(email_change) = ${email})`;
  const { rows } = await tx.query<{ id: string; email: string; new_email: string; tok_new: string; tok_cur: string; status: number; live: boolean; banned: boolean }>(sql`
    select id::text, coalesce(email, '') as email, email_change as new_email, coalesce(email_change_token_new, '') as tok_new,
      coalesce(email_change_token_current, '') as tok_cur, coalesce(email_change_confirm_status, 0)::int as status,
      coalesce(email_change_sent_at + make_interval(secs => ${deps.config.otpExpiry}) > now(), false) as live,
      coalesce(banned_until > now(), false) as banned
    from auth.users where deleted_at is null and coalesce(email_change, '') <> '' and ${match} for update`);
  // A typed code matches its stored hash, PKCE-prefixed or not.
  const matches = (stored: string) => stored !== '' && (sameToken(stored, hash) || (!viaLink && sameToken(stored, PKCE_PREFIX + hash)));
  const user = rows.find((u) => u.live && (matches(u.tok_new) || matches(u.tok_cur)));
  if (user === undefined) throw authErrors.otpExpired(viaLink);
  if (user.banned) throw authErrors.verifyBanned();
  const pkce = (matches(user.tok_new) ? user.tok_new : user.tok_cur).startsWith(PKCE_PREFIX);
  const needsBoth = user.tok_cur !== '' || user.status > 0;
  if (needsBoth && user.status === 0) {
    // The first of two confirmations: spend this token, wait for the other.
    const column = matches(user.tok_new) ? sql`email_change_token_new` : sql`email_change_token_current`;
    await tx.query(sql`update auth.users set ${column} = '', email_change_confirm_status = 1, updated_at = now() where id = ${user.id}::uuid`);
    return { userId: user.id, pkce, pending: true };
  }
  await applyEmail(tx, user.id, user.new_email);
  return { userId: user.id, pkce, pending: false };
}
