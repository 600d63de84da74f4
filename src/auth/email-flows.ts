// Flows that go through an email: sign-up confirmation, password recovery, magic links and
// email codes, resending, and /verify. Each issued code is stored hashed on the user (and in
// auth.one_time_tokens) and its email is queued in the same transaction.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from '../lib/sql.ts';
import type { Queryable } from '../db/port.ts';
import { authErrors, AuthError } from './errors.ts';
import type { AuthDeps } from './flows.ts';
import { enqueueMail, type MailKind } from './mail.ts';
import { newOtp, safeRedirect, tokenHash } from './otp.ts';
import { createSession, createUser, findUserByEmail, hashPassword, userJson, type UserJson } from './store.ts';
import { sessionResponse, type SessionResponse } from './tokens.ts';
import { normaliseEmail } from './validate.ts';
import { customAccessTokenHook } from './hook.ts';

export type EmailDeps = AuthDeps;

const RESEND_INTERVAL = 60;
export type Purpose = 'confirmation' | 'recovery';
const COLUMN = { confirmation: sql`confirmation`, recovery: sql`recovery` } as const;

const otpExpired = (viaLink: boolean) => new AuthError(403, 'otp_expired', viaLink ? 'Email link is invalid or has expired' : 'Token has expired or is invalid');

/** Refuses a new email within a minute of the last one of that purpose. */
export async function checkFrequency(tx: Queryable, userId: string, purpose: Purpose): Promise<void> {
  const { rows } = await tx.query<{ wait: number | null }>(sql`
    select ceil(extract(epoch from (${COLUMN[purpose]}_sent_at + make_interval(secs => ${RESEND_INTERVAL}) - now())))::int as wait
    from auth.users where id = ${userId}::uuid`);
  const wait = rows[0]?.wait ?? null;
  if (wait !== null && wait > 0) throw new AuthError(429, 'over_email_send_rate_limit', `For security purposes, you can only request this after ${wait} seconds.`);
}

/** Stores a new code for `purpose` on the user (and in auth.one_time_tokens); returns it and its hash. */
export async function storeCode(tx: Queryable, userId: string, email: string, purpose: Purpose): Promise<{ otp: string; hash: string }> {
  const otp = newOtp();
  const hash = tokenHash(email, otp);
  const tokenType = purpose === 'confirmation' ? 'confirmation_token' : 'recovery_token';
  if (purpose === 'confirmation') await tx.query(sql`update auth.users set confirmation_token = ${hash}, confirmation_sent_at = now() where id = ${userId}::uuid`);
  else await tx.query(sql`update auth.users set recovery_token = ${hash}, recovery_sent_at = now() where id = ${userId}::uuid`);
  await tx.query(sql`insert into auth.one_time_tokens (id, user_id, token_type, token_hash, relates_to) values (gen_random_uuid(), ${userId}::uuid, ${tokenType}::auth.one_time_token_type, ${hash}, ${email})
    on conflict (user_id, token_type) do update set token_hash = excluded.token_hash, relates_to = excluded.relates_to, updated_at = now()`);
  return { otp, hash };
}

/** The link an email carries: /verify with the token hash, leading on to an allowed redirect. */
export function verifyUrl(deps: EmailDeps, hash: string, linkType: string, redirectTo: string | undefined): { link: string; redirect: string } {
  const redirect = safeRedirect(redirectTo, deps.config.siteUrl, deps.config.redirectUrls);
  return { link: `${deps.externalUrl()}/auth/v1/verify?token=${hash}&type=${linkType}&redirect_to=${encodeURIComponent(redirect)}`, redirect };
}

/** Stores a new code for `purpose` and queues the email carrying it. */
export async function issueCode(tx: Queryable, deps: EmailDeps, userId: string, email: string, purpose: Purpose, kind: MailKind, linkType: string, redirectTo: string | undefined): Promise<void> {
  const { otp, hash } = await storeCode(tx, userId, email, purpose);
  await enqueueMail(tx, deps.observe, { kind, to: email, link: verifyUrl(deps, hash, linkType, redirectTo).link, otp });
}

export async function recover(deps: EmailDeps, body: Record<string, unknown>, redirectTo: string | undefined): Promise<Record<string, never>> {
  const email = normaliseEmail(body['email']);
  await deps.db.transaction(async (tx) => {
    const user = await findUserByEmail(tx, email);
    if (user === undefined) return; // same answer either way: no enumeration
    await checkFrequency(tx, user.id, 'recovery');
    await issueCode(tx, deps, user.id, email, 'recovery', 'recovery', 'recovery', redirectTo);
  });
  return {};
}

/** Magic link / email code: signs the user up first when allowed and needed. */
export async function otp(deps: EmailDeps, body: Record<string, unknown>, redirectTo: string | undefined): Promise<Record<string, never>> {
  if (body['phone'] !== undefined && body['phone'] !== null) throw authErrors.validation('SMS sign-in is not available yet');
  if (body['email'] === undefined || body['email'] === null) throw authErrors.validation('One of email or phone must be set');
  const createUserAllowed = body['create_user'] !== false;
  const email = createUserAllowed ? normaliseEmail(body['email']) : String(body['email']).toLowerCase();
  await deps.db.transaction(async (tx) => {
    let user = await findUserByEmail(tx, email);
    let created = false;
    if (user === undefined) {
      if (!createUserAllowed) throw new AuthError(422, 'otp_disabled', 'Signups not allowed for otp');
      if (deps.config.disableSignup) throw authErrors.signupDisabled();
      const data = typeof body['data'] === 'object' && body['data'] !== null ? (body['data'] as Record<string, unknown>) : {};
      const id = await createUser(tx, { email, passwordHash: await hashPassword(tx, randomBytes(24).toString('base64url')), data, confirmed: deps.config.autoconfirm, anonymous: false });
      user = { id, encrypted_password: null, confirmed: deps.config.autoconfirm, banned: false };
      created = true;
    }
    if (!user.confirmed) {
      // The sign-up confirmation doubles as the magic link.
      if (!created) await checkFrequency(tx, user.id, 'confirmation');
      await issueCode(tx, deps, user.id, email, 'confirmation', 'confirmation', 'signup', redirectTo);
      return;
    }
    await checkFrequency(tx, user.id, 'recovery');
    await issueCode(tx, deps, user.id, email, 'recovery', 'magic_link', 'magiclink', redirectTo);
  });
  return {};
}

export async function resend(deps: EmailDeps, body: Record<string, unknown>, redirectTo: string | undefined): Promise<Record<string, never>> {
  const type = body['type'];
  if (type !== 'signup' && type !== 'email_change' && type !== 'sms' && type !== 'phone_change') throw authErrors.validation('Missing one of these types: signup, email_change, sms, phone_change');
  if (type !== 'signup') throw authErrors.validation(`Resending ${type} is not available yet`);
  const email = normaliseEmail(body['email']);
  await deps.db.transaction(async (tx) => {
    const user = await findUserByEmail(tx, email);
    if (user === undefined || user.confirmed) return;
    await checkFrequency(tx, user.id, 'confirmation');
    await issueCode(tx, deps, user.id, email, 'confirmation', 'confirmation', 'signup', redirectTo);
  });
  return {};
}

interface Pending {
  id: string;
  email: string;
  confirmation_token: string | null;
  recovery_token: string | null;
  confirmation_live: boolean;
  recovery_live: boolean;
  banned: boolean;
}

const same = (a: string | null, b: string) => a !== null && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Checks a code (email + token) or a link (token_hash) and signs the user in. */
export async function verify(deps: EmailDeps, body: Record<string, unknown>): Promise<SessionResponse & { verifiedType: string }> {
  const type = body['type'];
  if (typeof type !== 'string' || type === '') throw authErrors.validation('Verify requires a verification type');
  if (!['signup', 'email', 'magiclink', 'recovery', 'invite'].includes(type)) throw authErrors.validation(`Unsupported verification type "${type}"`);
  const hasToken = typeof body['token'] === 'string' && body['token'] !== '';
  const hasHash = typeof body['token_hash'] === 'string' && body['token_hash'] !== '';
  if (hasToken === hasHash) throw authErrors.validation('Verify requires either a token or a token hash');
  return deps.db.transaction(async (tx) => {
    let hash: string;
    let candidates: Pending[];
    const expiry = deps.config.otpExpiry;
    const select = (where: ReturnType<typeof sql>) => tx.query<Pending & Record<string, unknown>>(sql`
      select id::text, email, nullif(confirmation_token, '') as confirmation_token, nullif(recovery_token, '') as recovery_token,
        coalesce(confirmation_sent_at + make_interval(secs => ${expiry}) > now(), false) as confirmation_live,
        coalesce(recovery_sent_at + make_interval(secs => ${expiry}) > now(), false) as recovery_live,
        coalesce(banned_until > now(), false) as banned
      from auth.users where deleted_at is null and ${where}`);
    if (hasToken) {
      let email: string;
      try {
        email = normaliseEmail(body['email']);
      } catch {
        throw new AuthError(422, 'validation_failed', 'Invalid email format');
      }
      hash = tokenHash(email, String(body['token']));
      candidates = (await select(sql`lower(email) = ${email}`)).rows;
    } else {
      hash = String(body['token_hash']);
      candidates = (await select(sql`(confirmation_token = ${hash} or recovery_token = ${hash})`)).rows;
    }
    const user = candidates[0];
    if (user === undefined) throw otpExpired(!hasToken);
    const wantsConfirmation = type === 'signup' || type === 'invite' || type === 'email';
    const wantsRecovery = type === 'recovery' || type === 'magiclink' || type === 'email';
    let purpose: Purpose | undefined;
    if (wantsConfirmation && user.confirmation_live && same(user.confirmation_token, hash)) purpose = 'confirmation';
    else if (wantsRecovery && user.recovery_live && same(user.recovery_token, hash)) purpose = 'recovery';
    if (purpose === undefined) throw otpExpired(!hasToken);
    if (user.banned) throw new AuthError(403, 'user_banned', 'User is banned');
    if (purpose === 'confirmation') {
      await tx.query(sql`update auth.users set email_confirmed_at = coalesce(email_confirmed_at, now()), confirmation_token = '',
        raw_user_meta_data = coalesce(raw_user_meta_data, '{}') || '{"email_verified": true}', updated_at = now() where id = ${user.id}::uuid`);
      await tx.query(sql`update auth.identities set identity_data = identity_data || '{"email_verified": true}' where user_id = ${user.id}::uuid and provider = 'email'`);
    } else {
      await tx.query(sql`update auth.users set email_confirmed_at = coalesce(email_confirmed_at, now()), recovery_token = '', updated_at = now() where id = ${user.id}::uuid`);
    }
    await tx.query(sql`delete from auth.one_time_tokens where user_id = ${user.id}::uuid and token_type = ${purpose === 'confirmation' ? 'confirmation_token' : 'recovery_token'}::auth.one_time_token_type`);
    const grant = await createSession(tx, user.id, 'otp');
    const json = (await userJson(tx, user.id)) as UserJson;
    const session = await sessionResponse(deps.tokens, json, grant, customAccessTokenHook(tx, deps.config.customAccessTokenHook, user.id, 'otp'));
    return { ...session, verifiedType: purpose === 'confirmation' ? 'signup' : type === 'recovery' ? 'recovery' : 'magiclink' };
  });
}

/** GET /verify from an email link: 303 back to the app with the session (or the error) in the fragment. */
export async function verifyLink(deps: EmailDeps, query: Record<string, string | undefined>): Promise<string> {
  const redirect = safeRedirect(query['redirect_to'], deps.config.siteUrl, deps.config.redirectUrls);
  if (query['type'] === undefined || query['type'] === '' || query['token'] === undefined || query['token'] === '') {
    throw authErrors.validation('Verify requires a token and a type');
  }
  try {
    const s = await verify(deps, { token_hash: query['token'], type: query['type'] });
    const fragment = new URLSearchParams({
      access_token: s.access_token,
      expires_at: String(s.expires_at),
      expires_in: String(s.expires_in),
      refresh_token: s.refresh_token,
      sb: '',
      token_type: 'bearer',
      type: query['type'],
    });
    return `${redirect}#${fragment.toString()}`;
  } catch (e) {
    if (!(e instanceof AuthError)) throw e;
    const oauth = e.status === 403 ? 'access_denied' : e.status >= 500 ? 'server_error' : 'invalid_request';
    return `${redirect}#${new URLSearchParams({ error: oauth, error_code: e.code, error_description: e.message, sb: '' }).toString()}`;
  }
}

export async function listOutbox(deps: EmailDeps, limit: number): Promise<{ messages: unknown[] }> {
  const { rows } = await deps.db.query(sql`
    select id::int, channel, recipient as to, subject, body, kind, created_at::text from _groundwork.outbox order by id desc limit ${limit}`);
  return { messages: rows };
}
