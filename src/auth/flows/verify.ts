// /verify: a code (email + 6 digits) or a link (token hash) proves the user holds the email
// (phone codes: phone-verify.ts).
// POST answers with a session; GET (the email link) redirects back to the app with the
// session in the fragment, or, for PKCE flows, with `?code=` to exchange at /token.
import type { Queryable } from '../../db/port.ts';
import { authErrors, AuthError } from '../errors.ts';
import { safeRedirect, sameToken, tokenHash } from '../codes/otp.ts';
import { flowMethod, PKCE_PREFIX } from '../codes/pkce.ts';
import { lockEmailCodeHolders, spendEmailCode, type EmailCodeHolder, type Purpose } from '../store/codes.ts';
import { issueAuthCode } from '../store/flow-state.ts';
import type { AuthDeps, Body, SessionResponse } from '../types.ts';
import { normaliseEmail } from '../validate.ts';
import { consumeEmailChange, HALF_CONFIRMED, type EmailChangeVerified } from './email-change.ts';
import { verifyPhoneCode } from './phone-verify.ts';
import { session } from './session.ts';

interface Consumed {
  readonly userId: string;
  /** The type the client should see: `signup` for confirmations, else `recovery` or `magiclink`. */
  readonly verifiedType: string;
  readonly pkce: boolean;
  /** A secure email change with one of its two addresses confirmed so far. */
  readonly pending?: boolean;
}

const changed = (c: EmailChangeVerified): Consumed => ({ userId: c.userId, verifiedType: 'email_change', pkce: c.pkce, pending: c.pending });

const TYPES = ['signup', 'email', 'magiclink', 'recovery', 'invite'];

/** Checks the code or link, applies its effect (email confirmed, token spent) and names the user. */
async function consume(tx: Queryable, deps: AuthDeps, body: Body): Promise<Consumed> {
  const type = body['type'];
  if (typeof type !== 'string' || type === '') throw authErrors.validation('Verify requires a verification type');
  if (type === 'sms' || type === 'phone_change') return { userId: await verifyPhoneCode(tx, deps, body, type), verifiedType: type, pkce: false };
  if (!TYPES.includes(type) && type !== 'email_change') throw authErrors.validation(`Unsupported verification type "${type}"`);
  const hasToken = typeof body['token'] === 'string' && body['token'] !== '';
  const hasHash = typeof body['token_hash'] === 'string' && body['token_hash'] !== '';
  if (hasToken === hasHash) throw authErrors.validation('Verify requires either a token or a token hash');
  const expiry = deps.config.otpExpiry;
  let hash: string;
  let candidates: EmailCodeHolder[];
  if (hasToken) {
    let email: string;
    try {
      email = normaliseEmail(body['email']);
    } catch {
      throw authErrors.verifyBadEmail();
    }
    hash = tokenHash(email, String(body['token']));
    if (type === 'email_change') return changed(await consumeEmailChange(tx, deps, hash, email));
    candidates = await lockEmailCodeHolders(tx, { email }, expiry);
  } else {
    hash = String(body['token_hash']);
    if (type === 'email_change') return changed(await consumeEmailChange(tx, deps, hash, undefined));
    candidates = await lockEmailCodeHolders(tx, { hash }, expiry);
  }
  const user = candidates[0];
  if (user === undefined) throw authErrors.otpExpired(!hasToken);
  // A code typed from a PKCE email matches its stored, prefixed hash too.
  const matches = (stored: string | null) => sameToken(stored, hash) || (hasToken && sameToken(stored, PKCE_PREFIX + hash));
  const wantsConfirmation = type === 'signup' || type === 'invite' || type === 'email';
  const wantsRecovery = type === 'recovery' || type === 'magiclink' || type === 'email';
  let purpose: Purpose | undefined;
  if (wantsConfirmation && user.confirmation_live && matches(user.confirmation_token)) purpose = 'confirmation';
  else if (wantsRecovery && user.recovery_live && matches(user.recovery_token)) purpose = 'recovery';
  if (purpose === undefined) throw authErrors.otpExpired(!hasToken);
  if (user.banned) throw authErrors.verifyBanned();
  const stored = (purpose === 'confirmation' ? user.confirmation_token : user.recovery_token) ?? '';
  await spendEmailCode(tx, user.id, purpose);
  const verifiedType = purpose === 'confirmation' ? (type === 'invite' ? 'invite' : 'signup') : type === 'recovery' ? 'recovery' : 'magiclink';
  return { userId: user.id, verifiedType, pkce: stored.startsWith(PKCE_PREFIX) };
}

/** POST /verify: a session, whatever the flow type, or a note that the other address must confirm too. */
export async function verify(deps: AuthDeps, body: Body): Promise<SessionResponse | { msg: string; code: number }> {
  return deps.db.transaction(async (tx) => {
    const done = await consume(tx, deps, body);
    return done.pending === true ? { msg: HALF_CONFIRMED, code: 200 } : session(deps, tx, done.userId, 'otp');
  });
}

/** GET /verify from an email link: where to send the browser (303). */
export async function verifyLink(deps: AuthDeps, query: Record<string, string | undefined>): Promise<string> {
  const redirect = safeRedirect(query['redirect_to'], deps.config.siteUrl, deps.config.redirectUrls);
  const type = query['type'];
  if (type === undefined || type === '' || query['token'] === undefined || query['token'] === '') {
    throw authErrors.validation('Verify requires a token and a type');
  }
  const pkceLink = query['token'].startsWith(PKCE_PREFIX);
  try {
    return await deps.db.transaction(async (tx) => {
      const done = await consume(tx, deps, { token_hash: query['token'], type });
      if (done.pending === true) return withParams(redirect, undefined, `${new URLSearchParams({ message: HALF_CONFIRMED }).toString()}&sb=`);
      if (done.pkce) {
        const code = await issueAuthCode(tx, done.userId, flowMethod(done.verifiedType));
        return withParams(redirect, new URLSearchParams({ code }), '');
      }
      const s = await session(deps, tx, done.userId, 'otp');
      const fragment = new URLSearchParams({
        access_token: s.access_token,
        expires_at: String(s.expires_at),
        expires_in: String(s.expires_in),
        refresh_token: s.refresh_token,
        sb: '',
        token_type: 'bearer',
        type,
      });
      return withParams(redirect, undefined, fragment.toString());
    });
  } catch (e) {
    if (!(e instanceof AuthError)) throw e;
    const oauth = e.status === 403 ? 'access_denied' : e.status >= 500 ? 'server_error' : 'invalid_request';
    const error = new URLSearchParams({ error: oauth, error_code: e.code, error_description: e.message });
    // PKCE clients read the error from the query string; implicit ones from the fragment.
    return withParams(redirect, pkceLink ? error : undefined, `${error.toString()}&sb=`);
  }
}

function withParams(url: string, query: URLSearchParams | undefined, fragment: string): string {
  const u = new URL(url);
  if (query !== undefined) for (const [k, v] of query) u.searchParams.set(k, v);
  u.hash = fragment;
  return u.toString().replace(/#$/, '');
}
