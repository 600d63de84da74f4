// Users and identities in the `auth` schema, through the builder, and password hashes
// (bcrypt by pgcrypto's crypt(), computed inside PostgreSQL, off the event loop). Every
// function takes the open transaction.
import { timingSafeEqual } from 'node:crypto';
import { sql } from '../../lib/sql.ts';
import { DbError } from '../../db/errors.ts';
import type { Queryable } from '../../db/port.ts';
import type { LoginRow, UserJson } from '../types.ts';
import { INSTANCE, TS } from './columns.ts';
import { FACTOR_JSON } from './factors.ts';

// A well-formed bcrypt hash to compare against when there is no user, so that the time
// taken does not tell whether an email is registered.
const DUMMY_HASH = '$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z1x6Bv6n8aVfHjyF6Wfz0f0S';

/** The user as Supabase Auth serialises it (absent optional fields left out). */
export async function userJson(tx: Queryable, userId: string): Promise<UserJson | undefined> {
  const { rows } = await tx.query<{ u: Record<string, unknown> | null }>(sql`
    select json_build_object(
      'id', u.id, 'aud', coalesce(u.aud, ''), 'role', coalesce(u.role, ''), 'email', coalesce(u.email, ''),
      'email_confirmed_at', ${TS('u.email_confirmed_at')},
      'phone', coalesce(u.phone, ''), 'phone_confirmed_at', ${TS('u.phone_confirmed_at')},
      'new_phone', nullif(u.phone_change, ''), 'phone_change_sent_at', ${TS('u.phone_change_sent_at')},
      'confirmed_at', ${TS('u.confirmed_at')},
      'confirmation_sent_at', ${TS('u.confirmation_sent_at')},
      'recovery_sent_at', ${TS('u.recovery_sent_at')},
      'new_email', nullif(u.email_change, ''), 'email_change_sent_at', ${TS('u.email_change_sent_at')},
      'invited_at', ${TS('u.invited_at')},
      'last_sign_in_at', ${TS('u.last_sign_in_at')},
      'app_metadata', coalesce(u.raw_app_meta_data, '{}'), 'user_metadata', coalesce(u.raw_user_meta_data, '{}'),
      'identities', coalesce((select json_agg(json_build_object(
          'identity_id', i.id, 'id', i.provider_id, 'user_id', i.user_id, 'identity_data', i.identity_data,
          'provider', i.provider, 'last_sign_in_at', ${TS('i.last_sign_in_at')},
          'created_at', ${TS('i.created_at')},
          'updated_at', ${TS('i.updated_at')}, 'email', i.email) order by i.created_at)
        from auth.identities i where i.user_id = u.id), '[]'),
      'created_at', ${TS('u.created_at')},
      'updated_at', ${TS('u.updated_at')},
      'banned_until', ${TS('u.banned_until')},
      'is_anonymous', u.is_anonymous,
      'factors', (select json_agg(${FACTOR_JSON} order by f.created_at) from auth.mfa_factors f where f.user_id = u.id)) as u
    from auth.users u where u.id = ${userId}::uuid and u.deleted_at is null`);
  const u = rows[0]?.u;
  if (u === null || u === undefined) return undefined;
  for (const k of ['email_confirmed_at', 'phone_confirmed_at', 'confirmed_at', 'confirmation_sent_at', 'recovery_sent_at', 'new_email', 'email_change_sent_at', 'invited_at', 'last_sign_in_at', 'banned_until', 'factors']) if (u[k] === null) delete u[k];
  for (const k of ['new_phone', 'phone_change_sent_at']) if (u[k] === null) delete u[k];
  return u as UserJson;
}

export async function hashPassword(tx: Queryable, password: string): Promise<string> {
  const { rows } = await tx.query<{ h: string }>(sql`select extensions.crypt(${password}, extensions.gen_salt('bf', 10)) as h`);
  return rows[0]?.h as string;
}

/** bcrypt check computed by PostgreSQL, compared in constant time here. */
export async function passwordMatches(tx: Queryable, password: string, hash: string | null): Promise<boolean> {
  const stored = hash ?? DUMMY_HASH;
  const { rows } = await tx.query<{ h: string }>(sql`select extensions.crypt(${password}, ${stored}) as h`);
  const computed = Buffer.from(rows[0]?.h ?? '');
  const expected = Buffer.from(stored);
  return hash !== null && computed.length === expected.length && timingSafeEqual(computed, expected);
}

export async function findUserByEmail(tx: Queryable, email: string): Promise<LoginRow | undefined> {
  const { rows } = await tx.query<LoginRow & Record<string, unknown>>(sql`
    select id::text, nullif(encrypted_password, '') as encrypted_password, email_confirmed_at is not null as confirmed,
           coalesce(banned_until > now(), false) as banned
    from auth.users where lower(email) = lower(${email}) and not is_sso_user and deleted_at is null limit 1`);
  return rows[0];
}

export interface NewUser {
  readonly email: string | null;
  readonly passwordHash: string | null;
  readonly data: Readonly<Record<string, unknown>>;
  readonly confirmed: boolean;
  readonly anonymous: boolean;
}

export async function createUser(tx: Queryable, u: NewUser): Promise<string> {
  const appMeta = u.anonymous ? {} : { provider: 'email', providers: ['email'] };
  const userMeta = u.confirmed && !u.anonymous ? { ...u.data, email_verified: true } : u.data;
  const { rows } = await tx.query<{ id: string }>(sql`
    insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, confirmation_sent_at,
      raw_app_meta_data, raw_user_meta_data, created_at, updated_at, is_anonymous)
    values (${INSTANCE}::uuid, gen_random_uuid(), 'authenticated', 'authenticated', ${u.email}, ${u.passwordHash ?? ''},
      case when ${u.confirmed} and ${u.email}::text is not null then now() end, case when not ${u.confirmed} then now() end,
      ${JSON.stringify(appMeta)}::jsonb, ${JSON.stringify(userMeta)}::jsonb, now(), now(), ${u.anonymous})
    returning id::text`);
  const id = rows[0]?.id as string;
  if (u.email !== null) await insertIdentity(tx, id, 'email', { ...u.data, sub: id, email: u.email, email_verified: u.confirmed, phone_verified: false });
  return id;
}

/** Whether `e` is the unique index on users' email refusing a row: another request created the same email meanwhile. */
export function isEmailRace(e: unknown): boolean {
  return e instanceof DbError && e.sqlstate === '23505' && e.message.includes('users_email_partial_key');
}

/**
 * Runs a transaction that may create a user by email, and runs it once more if a concurrent
 * request created that email first (its transaction is rolled back by then): the second run
 * finds the user, and answers as a sequential duplicate would.
 */
export async function retryingEmailRace<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (!isEmailRace(e)) throw e;
    return run();
  }
}

/** The user's email or phone identity (its provider id is the user id, as in GoTrue). */
export async function insertIdentity(tx: Queryable, userId: string, provider: 'email' | 'phone', data: Readonly<Record<string, unknown>>): Promise<void> {
  await tx.query(sql`insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
    values (${userId}, ${userId}::uuid, ${JSON.stringify(data)}::jsonb, ${provider}, now(), now(), now())`);
}

/**
 * Points the user's email or phone identity at a new address: `merge` goes into the existing
 * identity, or `created` becomes a new one. Then app_metadata.providers follows the
 * identities, oldest first; the first provider stays the user's provider.
 */
export async function setIdentity(tx: Queryable, userId: string, provider: 'email' | 'phone', merge: Readonly<Record<string, unknown>>, created: Readonly<Record<string, unknown>>): Promise<void> {
  const updated = await tx.query(sql`update auth.identities set identity_data = identity_data || ${JSON.stringify(merge)}::jsonb, updated_at = now()
    where user_id = ${userId}::uuid and provider = ${provider}`);
  if (updated.rowCount === 0) await insertIdentity(tx, userId, provider, created);
  await tx.query(sql`update auth.users set raw_app_meta_data = coalesce(raw_app_meta_data, '{}') || jsonb_build_object(
      'provider', coalesce(raw_app_meta_data ->> 'provider', ${provider}::text),
      'providers', (select jsonb_agg(provider order by first, provider) from (
        select provider, min(created_at) as first from auth.identities where user_id = ${userId}::uuid group by provider) p))
    where id = ${userId}::uuid`);
}

/** The user's password hash, or null when they have none. */
export async function passwordHashOf(tx: Queryable, userId: string): Promise<string | null> {
  const { rows } = await tx.query<{ h: string | null }>(sql`select nullif(encrypted_password, '') as h from auth.users where id = ${userId}::uuid`);
  return rows[0]?.h ?? null;
}

export async function setPasswordHash(tx: Queryable, userId: string, hash: string): Promise<void> {
  await tx.query(sql`update auth.users set encrypted_password = ${hash}, updated_at = now() where id = ${userId}::uuid`);
}

/** Shallow-merges `data` into the user's `user` or `app` metadata; keys set to null are removed. */
export async function mergeMetadata(tx: Queryable, userId: string, which: 'user' | 'app', data: Readonly<Record<string, unknown>>): Promise<void> {
  const col = which === 'user' ? sql`raw_user_meta_data` : sql`raw_app_meta_data`;
  await tx.query(sql`update auth.users set ${col} = (
      select coalesce(jsonb_object_agg(key, value), '{}') from jsonb_each(coalesce(${col}, '{}') || ${JSON.stringify(data)}::jsonb)
      where value <> 'null'::jsonb), updated_at = now() where id = ${userId}::uuid`);
}
