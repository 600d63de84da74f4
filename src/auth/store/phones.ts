// Phone users in the `auth` schema: lookups by phone, phone-only sign-ups, attaching or
// changing a user's phone with its `phone` identity, and confirming it, as Supabase Auth
// stores them (digits without `+`, identity provider `phone`, provider_id = user id).
import { sql } from '../../lib/sql.ts';
import { INSTANCE } from './columns.ts';
import type { Queryable } from '../../db/port.ts';
import type { LoginRow } from '../types.ts';
import { insertIdentity, setIdentity } from './users.ts';

/** By confirmed phone (`users.phone`), or by a pending change to it (`users.phone_change`). */
export async function findUserByPhone(tx: Queryable, phone: string, column: 'phone' | 'phone_change' = 'phone'): Promise<LoginRow | undefined> {
  const where = column === 'phone' ? sql`phone = ${phone}` : sql`phone_change = ${phone}`;
  const { rows } = await tx.query<LoginRow & Record<string, unknown>>(sql`
    select id::text, nullif(encrypted_password, '') as encrypted_password, phone_confirmed_at is not null as confirmed,
           coalesce(banned_until > now(), false) as banned
    from auth.users where ${where} and not is_sso_user and deleted_at is null limit 1`);
  return rows[0];
}

/** The user's confirmed phone (digits), or null. */
export async function phoneOf(tx: Queryable, userId: string): Promise<string | null> {
  const { rows } = await tx.query<{ phone: string | null }>(sql`select phone from auth.users where id = ${userId}::uuid`);
  return rows[0]?.phone ?? null;
}

/** Whether another user already has this phone. */
export async function phoneTaken(tx: Queryable, phone: string, exceptUserId?: string): Promise<boolean> {
  const except = exceptUserId ?? null;
  const { rows } = await tx.query(sql`select 1 from auth.users where phone = ${phone} and (${except}::uuid is null or id <> ${except}::uuid) limit 1`);
  return rows.length > 0;
}

export interface NewPhoneUser {
  readonly phone: string;
  readonly passwordHash: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly confirmed: boolean;
}

export async function createPhoneUser(tx: Queryable, u: NewPhoneUser): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(sql`
    insert into auth.users (instance_id, id, aud, role, phone, encrypted_password, phone_confirmed_at,
      raw_app_meta_data, raw_user_meta_data, created_at, updated_at, is_anonymous)
    values (${INSTANCE}::uuid, gen_random_uuid(), 'authenticated', 'authenticated', ${u.phone}, ${u.passwordHash},
      case when ${u.confirmed} then now() end, '{"provider": "phone", "providers": ["phone"]}', ${JSON.stringify(u.data)}::jsonb, now(), now(), false)
    returning id::text`);
  const id = rows[0]?.id as string;
  await insertIdentity(tx, id, 'phone', { ...u.data, sub: id, phone: u.phone, email_verified: false, phone_verified: false });
  return id;
}

/**
 * Gives the user this phone (admin API, or a confirmed phone change): updates or creates the
 * `phone` identity and recomputes `app_metadata.providers`. `verified` marks a new identity's
 * phone as proven by a code, as Supabase Auth does after a phone change.
 */
export async function setPhone(tx: Queryable, userId: string, phone: string, verified: boolean): Promise<void> {
  await tx.query(sql`update auth.users set phone = ${phone}, updated_at = now() where id = ${userId}::uuid`);
  await setIdentity(tx, userId, 'phone', { phone }, { sub: userId, phone, email_verified: false, phone_verified: verified });
}

/** Marks the phone confirmed and spends the confirmation code. */
export async function confirmPhone(tx: Queryable, userId: string): Promise<void> {
  await tx.query(sql`update auth.users set phone_confirmed_at = coalesce(phone_confirmed_at, now()), confirmation_token = '', is_anonymous = false, updated_at = now()
    where id = ${userId}::uuid`);
  await tx.query(sql`delete from auth.one_time_tokens where user_id = ${userId}::uuid and token_type = 'confirmation_token'`);
}

/** Applies a pending phone change (`phone_change`), confirmed. */
export async function applyPhoneChange(tx: Queryable, userId: string, phone: string): Promise<void> {
  await setPhone(tx, userId, phone, true);
  await tx.query(sql`update auth.users set phone_change = '', phone_change_token = '', phone_confirmed_at = now(), is_anonymous = false, updated_at = now()
    where id = ${userId}::uuid`);
  await tx.query(sql`delete from auth.one_time_tokens where user_id = ${userId}::uuid and token_type = 'phone_change_token'`);
}
