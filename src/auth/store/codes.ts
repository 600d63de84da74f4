// One-time codes stored on the user, hashed, as Supabase Auth keeps them: sign-up
// confirmations and recoveries (email), SMS codes, each mirrored in auth.one_time_tokens;
// the lookups /verify locks rows with, and spending a code. Codes themselves are made by
// codes/otp.ts; this file only stores and finds them.
import { sql, type Sql } from '../../lib/sql.ts';
import type { Queryable } from '../../db/port.ts';
import { asObject } from '../validate.ts';

/** Seconds between two messages of one purpose to one user. */
export const RESEND_INTERVAL = 60;

/** An emailed code's purpose: the column pair it lives in. */
export type Purpose = 'confirmation' | 'recovery';
/** A message whose last sending is stamped on the user. */
export type SentKind = Purpose | 'phone_change';

const SENT_AT: Readonly<Record<SentKind, Sql>> = {
  confirmation: sql`confirmation_sent_at`,
  recovery: sql`recovery_sent_at`,
  phone_change: sql`phone_change_sent_at`,
};

/** Seconds until the user may be sent another message of `kind`; 0: now. */
export async function secondsToWait(tx: Queryable, userId: string, kind: SentKind): Promise<number> {
  const { rows } = await tx.query<{ wait: number | null }>(sql`
    select ceil(extract(epoch from (${SENT_AT[kind]} + make_interval(secs => ${RESEND_INTERVAL}) - now())))::int as wait
    from auth.users where id = ${userId}::uuid`);
  return Math.max(0, rows[0]?.wait ?? 0);
}

type TokenType = 'confirmation_token' | 'recovery_token' | 'phone_change_token';

/** The mirror in auth.one_time_tokens: one live token per user and type. */
async function rememberToken(tx: Queryable, userId: string, type: TokenType, hash: string, relatesTo: string): Promise<void> {
  await tx.query(sql`insert into auth.one_time_tokens (id, user_id, token_type, token_hash, relates_to)
    values (gen_random_uuid(), ${userId}::uuid, ${type}::auth.one_time_token_type, ${hash}, ${relatesTo})
    on conflict (user_id, token_type) do update set token_hash = excluded.token_hash, relates_to = excluded.relates_to, updated_at = now()`);
}

/** Stores an emailed code's hash for `purpose`; returns the user's metadata (for templates). */
export async function saveEmailCode(tx: Queryable, userId: string, email: string, purpose: Purpose, hash: string): Promise<Record<string, unknown>> {
  const { rows } =
    purpose === 'confirmation'
      ? await tx.query<{ data: unknown }>(sql`update auth.users set confirmation_token = ${hash}, confirmation_sent_at = now() where id = ${userId}::uuid returning raw_user_meta_data as data`)
      : await tx.query<{ data: unknown }>(sql`update auth.users set recovery_token = ${hash}, recovery_sent_at = now() where id = ${userId}::uuid returning raw_user_meta_data as data`);
  await rememberToken(tx, userId, purpose === 'confirmation' ? 'confirmation_token' : 'recovery_token', hash, email);
  return asObject(rows[0]?.data) ?? {};
}

/** Stores an SMS code's hash: a confirmation of `phone`, or a change to it (kept pending). */
export async function saveSmsCode(tx: Queryable, userId: string, phone: string, kind: 'confirmation' | 'phone_change', hash: string): Promise<void> {
  if (kind === 'confirmation') await tx.query(sql`update auth.users set confirmation_token = ${hash}, confirmation_sent_at = now() where id = ${userId}::uuid`);
  else await tx.query(sql`update auth.users set phone_change = ${phone}, phone_change_token = ${hash}, phone_change_sent_at = now() where id = ${userId}::uuid`);
  await rememberToken(tx, userId, kind === 'confirmation' ? 'confirmation_token' : 'phone_change_token', hash, phone);
}

/** A user holding emailed codes, as /verify weighs them. */
export interface EmailCodeHolder {
  id: string;
  email: string;
  confirmation_token: string | null;
  recovery_token: string | null;
  confirmation_live: boolean;
  recovery_live: boolean;
  banned: boolean;
}

/** Users with this address, or holding this token hash, locked; codes older than `expiry` seconds are not live. */
export async function lockEmailCodeHolders(tx: Queryable, by: { readonly email: string } | { readonly hash: string }, expiry: number): Promise<EmailCodeHolder[]> {
  const where = 'email' in by ? sql`lower(email) = ${by.email}` : sql`(confirmation_token = ${by.hash} or recovery_token = ${by.hash})`;
  const { rows } = await tx.query<EmailCodeHolder & Record<string, unknown>>(sql`
    select id::text, email, nullif(confirmation_token, '') as confirmation_token, nullif(recovery_token, '') as recovery_token,
      coalesce(confirmation_sent_at + make_interval(secs => ${expiry}) > now(), false) as confirmation_live,
      coalesce(recovery_sent_at + make_interval(secs => ${expiry}) > now(), false) as recovery_live,
      coalesce(banned_until > now(), false) as banned
    from auth.users where deleted_at is null and ${where} for update`);
  return rows;
}

/** Spends an emailed code: the email is confirmed (a confirmation also marks it verified). */
export async function spendEmailCode(tx: Queryable, userId: string, purpose: Purpose): Promise<void> {
  if (purpose === 'confirmation') {
    await tx.query(sql`update auth.users set email_confirmed_at = coalesce(email_confirmed_at, now()), confirmation_token = '',
      raw_user_meta_data = coalesce(raw_user_meta_data, '{}') || '{"email_verified": true}', updated_at = now() where id = ${userId}::uuid`);
    await tx.query(sql`update auth.identities set identity_data = identity_data || '{"email_verified": true}' where user_id = ${userId}::uuid and provider = 'email'`);
  } else {
    await tx.query(sql`update auth.users set email_confirmed_at = coalesce(email_confirmed_at, now()), recovery_token = '', updated_at = now() where id = ${userId}::uuid`);
  }
  await tx.query(sql`delete from auth.one_time_tokens where user_id = ${userId}::uuid and token_type = ${purpose === 'confirmation' ? 'confirmation_token' : 'recovery_token'}::auth.one_time_token_type`);
}

/** The user whose phone (`sms`) or pending new phone (`phone_change`) is `phone`, locked. */
export async function lockSmsCodeHolder(tx: Queryable, phone: string, type: 'sms' | 'phone_change', expiry: number): Promise<{ id: string; token: string | null; live: boolean; banned: boolean } | undefined> {
  const column = type === 'sms' ? sql`phone` : sql`phone_change`;
  const stored = type === 'sms' ? sql`confirmation_token` : sql`phone_change_token`;
  const sentAt = type === 'sms' ? sql`confirmation_sent_at` : sql`phone_change_sent_at`;
  const { rows } = await tx.query<{ id: string; token: string | null; live: boolean; banned: boolean }>(sql`
    select id::text, nullif(${stored}, '') as token, coalesce(${sentAt} + make_interval(secs => ${expiry}) > now(), false) as live,
      coalesce(banned_until > now(), false) as banned
    from auth.users where ${column} = ${phone} and not is_sso_user and deleted_at is null limit 1 for update`);
  return rows[0];
}
