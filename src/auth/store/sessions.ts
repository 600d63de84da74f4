// Sessions and their rotating refresh tokens in the `auth` schema, and the authentication
// methods (amr) that decide a session's level. Every function takes the open transaction.
import { randomBytes } from 'node:crypto';
import { sql } from '../../lib/sql.ts';
import { base32Encode } from '../../lib/base32.ts';
import type { Queryable } from '../../db/port.ts';
import { authErrors } from '../errors.ts';
import type { SessionGrant } from '../types.ts';
import { INSTANCE } from './columns.ts';
import { SECOND_FACTORS } from './factors.ts';

/** A 12-character refresh token: lowercase base32 of 8 random bytes (GoTrue's format). */
export function newRefreshToken(): string {
  return base32Encode(randomBytes(8)).toLowerCase().slice(0, 12);
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
 * Refresh-token rotation with reuse detection (GoTrue's algorithm for its 12-character tokens):
 * - an unrevoked token is revoked and replaced by a child;
 * - a revoked token that is the parent of the session's active token (its newest unrevoked
 *   one) gets that token again: the client lost the answer to its last refresh, or several
 *   tabs refreshed at once (the later ones wait on the row lock, then land here);
 * - another revoked token still within the reuse interval of its revocation gets a new child
 *   of its own (GoTrue: an older ancestor is not handed the active token);
 * - any other revoked token is reuse: the session is deleted, so every token of it (the
 *   thief's and the owner's) and the access tokens Auth checks fail from then on, and
 *   refresh_token_already_used answers. Revoking the live tokens would not do: revocation
 *   stamps `updated_at`, which puts each of them within the reuse interval again, so the
 *   active token could still be swapped for a child (GoTrue's v2 tokens delete the session too).
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
  let next: string | undefined;
  if (row.revoked) {
    const active = await tx.query<{ token: string; parent: string | null }>(sql`
      select token, parent from auth.refresh_tokens where session_id = ${sessionId}::uuid and not revoked order by id desc limit 1`);
    if (active.rows[0]?.parent === token) next = active.rows[0].token;
    else if (!row.recent) {
      await tx.query(sql`delete from auth.sessions where id = ${sessionId}::uuid`);
      return { reused: true };
    }
  } else {
    await tx.query(sql`update auth.refresh_tokens set revoked = true, updated_at = now() where id = ${row.id}::bigint`);
  }
  if (next === undefined) {
    next = newRefreshToken();
    await tx.query(sql`insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
      values (${INSTANCE}::uuid, ${next}, ${row.user_id}, false, now(), now(), ${token}, ${sessionId}::uuid)`);
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
