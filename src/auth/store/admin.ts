// The admin API's own statements on `auth.users`: what only `supabase.auth.admin.*` may do
// (set fields directly, ban, delete, list a page). Every function takes the open transaction.
import { sql } from '../../lib/sql.ts';
import type { Queryable } from '../../db/port.ts';
import { setIdentity } from './users.ts';
import { endSessions } from './sessions.ts';

/** A new address, unconfirmed, with the email identity following it. */
export async function setEmail(tx: Queryable, userId: string, email: string): Promise<void> {
  await tx.query(sql`update auth.users set email = ${email}, updated_at = now() where id = ${userId}::uuid`);
  await setIdentity(tx, userId, 'email', { email }, { sub: userId, email, email_verified: false, phone_verified: false });
}

export async function confirmEmailNow(tx: Queryable, userId: string): Promise<void> {
  await tx.query(sql`update auth.users set email_confirmed_at = coalesce(email_confirmed_at, now()) where id = ${userId}::uuid`);
}

/** Confirms the user's phone, when they have one (the confirmation code is left alone). */
export async function confirmPhoneNow(tx: Queryable, userId: string): Promise<void> {
  await tx.query(sql`update auth.users set phone_confirmed_at = coalesce(phone_confirmed_at, now()) where id = ${userId}::uuid and phone is not null`);
}

/** A user created without `email_confirm` does not claim a verified email in its metadata. */
export async function dropEmailVerified(tx: Queryable, userId: string): Promise<void> {
  await tx.query(sql`update auth.users set raw_user_meta_data = raw_user_meta_data - 'email_verified' where id = ${userId}::uuid`);
}

/** Bans for `seconds` from now; null lifts the ban. */
export async function setBan(tx: Queryable, userId: string, seconds: number | null): Promise<void> {
  await tx.query(sql`update auth.users set banned_until = case when ${seconds}::float8 is null then null else now() + make_interval(secs => ${seconds}::float8) end where id = ${userId}::uuid`);
}

export async function deleteUser(tx: Queryable, userId: string): Promise<void> {
  await tx.query(sql`delete from auth.users where id = ${userId}::uuid`);
}

/** Soft delete: the row stays, but nothing in it can identify or authenticate anyone. */
export async function softDeleteUser(tx: Queryable, userId: string): Promise<void> {
  await tx.query(sql`update auth.users set deleted_at = now(), email = md5(id::text || coalesce(email, '')), phone = null,
    encrypted_password = '', raw_user_meta_data = '{}', raw_app_meta_data = '{}', updated_at = now() where id = ${userId}::uuid`);
  await tx.query(sql`update auth.identities set provider_id = md5(id::text || provider_id), identity_data = '{}' where user_id = ${userId}::uuid`);
  await tx.query(sql`delete from auth.mfa_factors where user_id = ${userId}::uuid`);
  await endSessions(tx, userId, undefined, 'global');
}

/** An invited user carries the time of the invitation. */
export async function markInvited(tx: Queryable, userId: string): Promise<void> {
  await tx.query(sql`update auth.users set invited_at = now() where id = ${userId}::uuid`);
}

/** The ids of one page of live users, newest first, and how many there are in all. */
export async function pageOfUsers(tx: Queryable, page: number, perPage: number): Promise<{ ids: string[]; total: number }> {
  const total = Number((await tx.query<{ n: string }>(sql`select count(*) as n from auth.users where deleted_at is null`)).rows[0]?.n ?? 0);
  const { rows } = await tx.query<{ id: string }>(sql`select id::text from auth.users where deleted_at is null order by created_at desc, id limit ${perPage} offset ${(page - 1) * perPage}`);
  return { ids: rows.map((r) => r.id), total };
}
