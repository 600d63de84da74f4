// Auth's data in the `auth` schema, through the builder: users and identities, password
// hashes (bcrypt by pgcrypto's crypt(), computed inside PostgreSQL, off the event loop),
// sessions and rotating refresh tokens. Every function takes the open transaction.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from '../lib/sql.ts';
import { INSTANCE, TS } from './columns.ts';
import { base32Encode } from '../lib/base32.ts';
import type { Queryable } from '../db/port.ts';
import { authErrors } from './errors.ts';
import { FACTOR_JSON, SECOND_FACTORS } from './mfa-store.ts';

// A well-formed bcrypt hash to compare against when there is no user, so that the time
// taken does not tell whether an email is registered.
const DUMMY_HASH = '$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z1x6Bv6n8aVfHjyF6Wfz0f0S';


export type UserJson = Record<string, unknown> & { id: string; email: string; phone: string; role: string; is_anonymous: boolean };

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

export interface LoginRow {
  id: string;
  encrypted_password: string | null;
  confirmed: boolean;
  banned: boolean;
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

/** A 12-character refresh token: lowercase base32 of 8 random bytes (GoTrue's format). */
export function newRefreshToken(): string {
  return base32Encode(randomBytes(8)).toLowerCase().slice(0, 12);
}

export interface SessionGrant {
  readonly sessionId: string;
  readonly refreshToken: string;
  readonly amr: ReadonlyArray<{ method: string; timestamp: number }>;
  readonly aal: 'aal1' | 'aal2';
}

/** The session's authentication methods, newest first, and the level they reach. */
export async function amrOf(tx: Queryable, sessionId: string): Promise<Pick<SessionGrant, 'amr' | 'aal'>> {
  const { rows } = await tx.query<{ method: string; ts: number }>(sql`
    select authentication_method as method, extract(epoch from updated_at)::int as ts
    from auth.mfa_amr_claims where session_id = ${sessionId}::uuid order by updated_at desc`);
  const amr = rows.map((r) => ({ method: r.method, timestamp: r.ts }));
  return { amr, aal: amr.some((a) => (SECOND_FACTORS as readonly string[]).includes(a.method)) ? 'aal2' : 'aal1' };
}

/** A new session for a sign-in: its first refresh token and its authentication method. */
export async function createSession(tx: Queryable, userId: string, method: string): Promise<SessionGrant> {
  const { rows } = await tx.query<{ id: string }>(sql`
    insert into auth.sessions (id, user_id, created_at, updated_at, aal, refreshed_at)
    values (gen_random_uuid(), ${userId}::uuid, now(), now(), 'aal1', now() at time zone 'UTC') returning id::text`);
  const sessionId = rows[0]?.id as string;
  const refreshToken = newRefreshToken();
  await tx.query(sql`insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, session_id)
    values (${INSTANCE}::uuid, ${refreshToken}, ${userId}, false, now(), now(), ${sessionId}::uuid)`);
  await tx.query(sql`insert into auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
    values (gen_random_uuid(), ${sessionId}::uuid, now(), now(), ${method})`);
  await tx.query(sql`update auth.users set last_sign_in_at = now(), updated_at = now() where id = ${userId}::uuid`);
  return { sessionId, refreshToken, ...(await amrOf(tx, sessionId)) };
}

/**
 * Refresh-token rotation with reuse detection (GoTrue's legacy algorithm): an unrevoked token
 * is revoked and replaced by a child; a revoked one that is the parent of the session's
 * active token returns that token again; within the reuse interval another child is issued;
 * otherwise the whole session's tokens are revoked and refresh_token_already_used answers.
 */
export async function rotateRefreshToken(tx: Queryable, token: string, reuseIntervalSeconds: number): Promise<{ userId: string; grant: SessionGrant } | { reused: true }> {
  const { rows } = await tx.query<{ id: string; user_id: string; session_id: string | null; revoked: boolean; recent: boolean; banned: boolean; has_session: boolean }>(sql`
    select t.id::text, t.user_id, t.session_id::text, t.revoked,
           t.updated_at + make_interval(secs => ${reuseIntervalSeconds}) >= now() as recent,
           coalesce(u.banned_until > now(), false) as banned, s.id is not null as has_session
    from auth.refresh_tokens t left join auth.users u on u.id::text = t.user_id
    left join auth.sessions s on s.id = t.session_id
    where t.token = ${token} for update of t`);
  const row = rows[0];
  if (row === undefined) throw authErrors.refreshTokenNotFound();
  if (row.banned) throw authErrors.refreshUserBanned();
  if (!row.has_session || row.session_id === null) throw authErrors.refreshNoSession();
  const sessionId = row.session_id;
  let next: string;
  if (!row.revoked || row.recent) {
    if (!row.revoked) await tx.query(sql`update auth.refresh_tokens set revoked = true, updated_at = now() where id = ${row.id}::bigint`);
    next = newRefreshToken();
    await tx.query(sql`insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
      values (${INSTANCE}::uuid, ${next}, ${row.user_id}, false, now(), now(), ${token}, ${sessionId}::uuid)`);
  } else {
    const active = await tx.query<{ token: string }>(sql`
      select token from auth.refresh_tokens where session_id = ${sessionId}::uuid and not revoked and parent = ${token} order by id desc limit 1`);
    const child = active.rows[0]?.token;
    if (child === undefined) {
      await tx.query(sql`update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = ${sessionId}::uuid and not revoked`);
      return { reused: true };
    }
    next = child; // the client lost the answer to its last refresh: hand the same token again
  }
  await tx.query(sql`update auth.sessions set refreshed_at = now() at time zone 'UTC', updated_at = now() where id = ${sessionId}::uuid`);
  return { userId: row.user_id, grant: { sessionId, refreshToken: next, ...(await amrOf(tx, sessionId)) } };
}

/** Revokes the session's live refresh tokens and issues one new token (a step-up to aal2 rotates it). */
export async function replaceRefreshToken(tx: Queryable, userId: string, sessionId: string): Promise<string> {
  const { rows } = await tx.query<{ token: string }>(sql`update auth.refresh_tokens set revoked = true, updated_at = now()
    where session_id = ${sessionId}::uuid and not revoked returning token`);
  const next = newRefreshToken();
  await tx.query(sql`insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
    values (${INSTANCE}::uuid, ${next}, ${userId}, false, now(), now(), ${rows[0]?.token ?? null}, ${sessionId}::uuid)`);
  return next;
}

export async function sessionExists(tx: Queryable, sessionId: string): Promise<boolean> {
  const { rows } = await tx.query(sql`select 1 from auth.sessions where id = ${sessionId}::uuid`);
  return rows.length > 0;
}

/** Ends sessions: `global` all of the user's, `local` this one, `others` all but this one. */
export async function endSessions(tx: Queryable, userId: string, sessionId: string | undefined, scope: 'global' | 'local' | 'others'): Promise<void> {
  if (scope === 'global' || sessionId === undefined) await tx.query(sql`delete from auth.sessions where user_id = ${userId}::uuid`);
  else if (scope === 'local') await tx.query(sql`delete from auth.sessions where id = ${sessionId}::uuid`);
  else await tx.query(sql`delete from auth.sessions where user_id = ${userId}::uuid and id <> ${sessionId}::uuid`);
}
