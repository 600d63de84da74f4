// What every emailed code shares: the 6-digit code and its stored hash (prefixed for PKCE
// flows), one email of a purpose a minute, and the link an email carries to /verify.
import type { Queryable } from '../../db/port.ts';
import { authErrors } from '../errors.ts';
import { newOtp, safeRedirect, tokenHash } from '../codes/otp.ts';
import { flowMethod, PKCE_PREFIX, type Pkce } from '../codes/pkce.ts';
import { enqueueMail, mailSettings, type MailKind } from '../messages/mail.ts';
import { saveEmailCode, secondsToWait, type Purpose } from '../store/codes.ts';
import { createFlowState } from '../store/flow-state.ts';
import type { AuthDeps } from '../types.ts';

export interface Code {
  readonly otp: string;
  /** What is stored and what a link carries. */
  readonly hash: string;
}

/** A new code for `address`; a PKCE flow's hash is prefixed, so /verify answers it with an auth code. */
export function newCode(address: string, pkce: boolean): Code {
  const otp = newOtp();
  return { otp, hash: (pkce ? PKCE_PREFIX : '') + tokenHash(address, otp) };
}

/** Refuses a new email within a minute of the last one of that purpose. */
export async function checkFrequency(tx: Queryable, userId: string, purpose: Purpose): Promise<void> {
  const wait = await secondsToWait(tx, userId, purpose);
  if (wait > 0) throw authErrors.emailRateLimit(wait);
}

/** Stores a new code for `purpose`; returns it with the user's metadata (for templates). */
export async function storeCode(tx: Queryable, userId: string, email: string, purpose: Purpose, pkce = false): Promise<Code & { data: Record<string, unknown> }> {
  const code = newCode(email, pkce);
  return { ...code, data: await saveEmailCode(tx, userId, email, purpose, code.hash) };
}

/** The link an email carries: /verify with the token hash, leading on to an allowed redirect. */
export function verifyUrl(deps: AuthDeps, hash: string, linkType: string, redirectTo: string | undefined): { link: string; redirect: string } {
  const redirect = safeRedirect(redirectTo, deps.config.siteUrl, deps.config.redirectUrls);
  return { link: `${deps.externalUrl()}/auth/v1/verify?token=${hash}&type=${linkType}&redirect_to=${encodeURIComponent(redirect)}`, redirect };
}

/** Stores a new code for `purpose` and queues the email carrying it. */
export async function issueCode(tx: Queryable, deps: AuthDeps, userId: string, email: string, purpose: Purpose, kind: MailKind, linkType: string, redirectTo: string | undefined, pkce?: Pkce): Promise<void> {
  if (pkce !== undefined) await createFlowState(tx, userId, pkce, flowMethod(linkType));
  const { otp, hash, data } = await storeCode(tx, userId, email, purpose, pkce !== undefined);
  const { link, redirect } = verifyUrl(deps, hash, linkType, redirectTo);
  await enqueueMail(tx, deps.observe, { kind, to: email, link, otp, tokenHash: hash, redirectTo: redirect, data }, mailSettings(deps));
}
