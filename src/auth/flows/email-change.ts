// Changing a user's email address: the new address takes effect only once confirmed. With
// secure email change (the default, as in Supabase) the current address must confirm too,
// each with its own code and link; the first confirmation answers "accepted, now the other".
import type { Queryable } from '../../db/port.ts';
import { authErrors } from '../errors.ts';
import { sameToken } from '../codes/otp.ts';
import { PKCE_PREFIX, type Pkce } from '../codes/pkce.ts';
import { enqueueMail, mailSettings } from '../messages/mail.ts';
import { applyEmail, changeRequester, confirmOneOfTwo, lockPendingChanges, saveEmailChange } from '../store/email-change.ts';
import { createFlowState } from '../store/flow-state.ts';
import type { AuthDeps, Authenticated } from '../types.ts';
import { newCode, verifyUrl, type Code } from './email-codes.ts';

export const HALF_CONFIRMED = 'Confirmation link accepted. Please proceed to confirm link sent to the other email';

export interface EmailChangeCodes {
  readonly next: Code;
  /** Absent when only the new address confirms (secure change off, or no current address). */
  readonly current: Code | undefined;
}

/** Makes the change's codes and records it as pending on the user. */
export async function storeEmailChange(tx: Queryable, userId: string, currentEmail: string, newEmail: string, secure: boolean, pkce = false): Promise<EmailChangeCodes> {
  const next = newCode(newEmail, pkce);
  const current = secure && currentEmail !== '' ? newCode(currentEmail, pkce) : undefined;
  await saveEmailChange(tx, userId, currentEmail, newEmail, { next: next.hash, current: current?.hash });
  return { next, current };
}

/** PUT /user with a new email: applied at once for an anonymous user under autoconfirm, else confirmed by email. */
export async function requestEmailChange(tx: Queryable, deps: AuthDeps, who: Authenticated, newEmail: string, redirectTo: string | undefined, pkce: Pkce | undefined): Promise<void> {
  const user = await changeRequester(tx, who.userId);
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
  const rows = await lockPendingChanges(tx, viaLink ? { hash } : { email }, deps.config.otpExpiry);
  // A typed code matches its stored hash, PKCE-prefixed or not.
  const matches = (stored: string) => stored !== '' && (sameToken(stored, hash) || (!viaLink && sameToken(stored, PKCE_PREFIX + hash)));
  const user = rows.find((u) => u.live && (matches(u.tok_new) || matches(u.tok_cur)));
  if (user === undefined) throw authErrors.otpExpired(viaLink);
  if (user.banned) throw authErrors.verifyBanned();
  const pkce = (matches(user.tok_new) ? user.tok_new : user.tok_cur).startsWith(PKCE_PREFIX);
  const needsBoth = user.tok_cur !== '' || user.status > 0;
  if (needsBoth && user.status === 0) {
    // The first of two confirmations: spend this token, wait for the other.
    await confirmOneOfTwo(tx, user.id, matches(user.tok_new) ? 'new' : 'current');
    return { userId: user.id, pkce, pending: true };
  }
  await applyEmail(tx, user.id, user.new_email);
  return { userId: user.id, pkce, pending: false };
}
