// Flows that go through an email: sign-up confirmation, password recovery, magic links and
// email codes, and resending (checking them is verify.ts). Each issued code is stored hashed
// on the user (and in auth.one_time_tokens) and its email is queued in the same transaction.
import { randomBytes } from 'node:crypto';
import { sql, type Sql } from '../lib/sql.ts';
import type { Queryable } from '../db/port.ts';
import { authErrors } from './errors.ts';
import type { AuthDeps } from './flows.ts';
import { enqueueMail, mailSettings, type MailKind } from './mail.ts';
import { listOutbox as outboxMessages } from '../outbox/list.ts';
import { newOtp, safeRedirect, tokenHash } from './otp.ts';
import { createUser, findUserByEmail, hashPassword } from './store.ts';
import { asObject, normaliseEmail } from './validate.ts';
import { createFlowState, flowMethod, parsePkce, PKCE_PREFIX, type Pkce } from './pkce.ts';
import { phoneOtp, phoneResend } from './phone-flows.ts';

export type EmailDeps = AuthDeps;

/** Seconds between two emails of one purpose to one user. */
export const RESEND_INTERVAL = 60;
export type Purpose = 'confirmation' | 'recovery';
const SENT_AT = { confirmation: sql`confirmation_sent_at`, recovery: sql`recovery_sent_at` } as const;

/** Seconds until the user may be sent another message whose last one is stamped in `sentAt` (a fixed column); 0: now. */
export async function secondsToWait(tx: Queryable, userId: string, sentAt: Sql): Promise<number> {
  const { rows } = await tx.query<{ wait: number | null }>(sql`
    select ceil(extract(epoch from (${sentAt} + make_interval(secs => ${RESEND_INTERVAL}) - now())))::int as wait
    from auth.users where id = ${userId}::uuid`);
  return Math.max(0, rows[0]?.wait ?? 0);
}

/** Refuses a new email within a minute of the last one of that purpose. */
export async function checkFrequency(tx: Queryable, userId: string, purpose: Purpose): Promise<void> {
  const wait = await secondsToWait(tx, userId, SENT_AT[purpose]);
  if (wait > 0) throw authErrors.emailRateLimit(wait);
}

/** Stores a new code for `purpose` on the user (and in auth.one_time_tokens); returns it, its hash and the user's metadata (for templates). */
export async function storeCode(tx: Queryable, userId: string, email: string, purpose: Purpose, pkce = false): Promise<{ otp: string; hash: string; data: Record<string, unknown> }> {
  const otp = newOtp();
  const hash = (pkce ? PKCE_PREFIX : '') + tokenHash(email, otp);
  const tokenType = purpose === 'confirmation' ? 'confirmation_token' : 'recovery_token';
  const { rows } =
    purpose === 'confirmation'
      ? await tx.query<{ data: unknown }>(sql`update auth.users set confirmation_token = ${hash}, confirmation_sent_at = now() where id = ${userId}::uuid returning raw_user_meta_data as data`)
      : await tx.query<{ data: unknown }>(sql`update auth.users set recovery_token = ${hash}, recovery_sent_at = now() where id = ${userId}::uuid returning raw_user_meta_data as data`);
  await tx.query(sql`insert into auth.one_time_tokens (id, user_id, token_type, token_hash, relates_to) values (gen_random_uuid(), ${userId}::uuid, ${tokenType}::auth.one_time_token_type, ${hash}, ${email})
    on conflict (user_id, token_type) do update set token_hash = excluded.token_hash, relates_to = excluded.relates_to, updated_at = now()`);
  return { otp, hash, data: asObject(rows[0]?.data) ?? {} };
}

/** The link an email carries: /verify with the token hash, leading on to an allowed redirect. */
export function verifyUrl(deps: EmailDeps, hash: string, linkType: string, redirectTo: string | undefined): { link: string; redirect: string } {
  const redirect = safeRedirect(redirectTo, deps.config.siteUrl, deps.config.redirectUrls);
  return { link: `${deps.externalUrl()}/auth/v1/verify?token=${hash}&type=${linkType}&redirect_to=${encodeURIComponent(redirect)}`, redirect };
}

/** Stores a new code for `purpose` and queues the email carrying it. */
export async function issueCode(tx: Queryable, deps: EmailDeps, userId: string, email: string, purpose: Purpose, kind: MailKind, linkType: string, redirectTo: string | undefined, pkce?: Pkce): Promise<void> {
  if (pkce !== undefined) await createFlowState(tx, userId, pkce, flowMethod(linkType));
  const { otp, hash, data } = await storeCode(tx, userId, email, purpose, pkce !== undefined);
  const { link, redirect } = verifyUrl(deps, hash, linkType, redirectTo);
  await enqueueMail(tx, deps.observe, { kind, to: email, link, otp, tokenHash: hash, redirectTo: redirect, data }, mailSettings(deps));
}

export async function recover(deps: EmailDeps, body: Record<string, unknown>, redirectTo: string | undefined): Promise<Record<string, never>> {
  const email = normaliseEmail(body['email']);
  const pkce = parsePkce(body);
  await deps.db.transaction(async (tx) => {
    const user = await findUserByEmail(tx, email);
    if (user === undefined) return; // same answer either way: no enumeration
    await checkFrequency(tx, user.id, 'recovery');
    await issueCode(tx, deps, user.id, email, 'recovery', 'recovery', 'recovery', redirectTo, pkce);
  });
  return {};
}

/** Magic link / email code: signs the user up first when allowed and needed. */
export async function otp(deps: EmailDeps, body: Record<string, unknown>, redirectTo: string | undefined): Promise<Record<string, string>> {
  if (body['phone'] !== undefined && body['phone'] !== null && body['phone'] !== '') return phoneOtp(deps, body);
  if (body['email'] === undefined || body['email'] === null) throw authErrors.validation('One of email or phone must be set');
  const createUserAllowed = body['create_user'] !== false;
  const pkce = parsePkce(body);
  const email = createUserAllowed ? normaliseEmail(body['email']) : String(body['email']).toLowerCase();
  await deps.db.transaction(async (tx) => {
    let user = await findUserByEmail(tx, email);
    let created = false;
    if (user === undefined) {
      if (!createUserAllowed) throw authErrors.otpDisabled();
      if (deps.config.disableSignup) throw authErrors.signupDisabled();
      const data = asObject(body['data']) ?? {};
      const id = await createUser(tx, { email, passwordHash: await hashPassword(tx, randomBytes(24).toString('base64url')), data, confirmed: deps.config.autoconfirm, anonymous: false });
      user = { id, encrypted_password: null, confirmed: deps.config.autoconfirm, banned: false };
      created = true;
    }
    if (!user.confirmed) {
      // The sign-up confirmation doubles as the magic link.
      if (!created) await checkFrequency(tx, user.id, 'confirmation');
      await issueCode(tx, deps, user.id, email, 'confirmation', 'confirmation', 'signup', redirectTo, pkce);
      return;
    }
    await checkFrequency(tx, user.id, 'recovery');
    await issueCode(tx, deps, user.id, email, 'recovery', 'magic_link', 'magiclink', redirectTo, pkce);
  });
  return {};
}

export async function resend(deps: EmailDeps, body: Record<string, unknown>, redirectTo: string | undefined): Promise<Record<string, string>> {
  const type = body['type'];
  if (type !== 'signup' && type !== 'email_change' && type !== 'sms' && type !== 'phone_change') throw authErrors.validation('Missing one of these types: signup, email_change, sms, phone_change');
  if (type === 'sms' || type === 'phone_change') return phoneResend(deps, body, type);
  if (type !== 'signup') throw authErrors.validation(`Resending ${type} is not available yet`);
  const email = normaliseEmail(body['email']);
  const pkce = parsePkce(body);
  await deps.db.transaction(async (tx) => {
    const user = await findUserByEmail(tx, email);
    if (user === undefined || user.confirmed) return;
    await checkFrequency(tx, user.id, 'confirmation');
    await issueCode(tx, deps, user.id, email, 'confirmation', 'confirmation', 'signup', redirectTo, pkce);
  });
  return {};
}

export async function listOutbox(deps: EmailDeps, limit: number): Promise<{ messages: unknown[] }> {
  return { messages: await outboxMessages(deps.db, limit) };
}
