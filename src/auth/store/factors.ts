// MFA data in the `auth` schema: factors, challenges, and the session changes a second factor
// brings (aal2 on verify, back to aal1 when the factor goes). Every function takes the open
// transaction.
import { join, sql, value } from '../../lib/sql.ts';
import { TS } from './columns.ts';
import type { Queryable } from '../../db/port.ts';
import { authErrors } from '../errors.ts';
import type { Authenticated } from '../types.ts';

/** How long an unverified factor and a challenge live, in seconds (GoTrue's defaults). */
export const CHALLENGE_SECONDS = 300;
export const MAX_FACTORS = 10;
/** Authentication methods that are a second factor: a session holding one is aal2. */
export const SECOND_FACTORS = ['totp', 'mfa/phone', 'mfa/webauthn'] as const;

/** A factor as Supabase Auth serialises it; `f` is the row alias. */
export const FACTOR_JSON = sql`json_strip_nulls(json_build_object('id', f.id, 'friendly_name', nullif(f.friendly_name, ''),
  'factor_type', f.factor_type, 'status', f.status, 'created_at', ${TS('f.created_at')}, 'updated_at', ${TS('f.updated_at')}))::jsonb
  || jsonb_build_object('phone', coalesce(f.phone, ''), 'last_challenged_at', ${TS('f.last_challenged_at')})`;

export type FactorJson = Record<string, unknown> & { id: string };

export interface FactorRow {
  readonly id: string;
  readonly status: 'verified' | 'unverified';
  readonly factor_type: string;
  readonly secret: string | null;
  readonly json: FactorJson;
}

export async function factorsOf(tx: Queryable, userId: string): Promise<FactorJson[]> {
  const { rows } = await tx.query<{ f: FactorJson }>(sql`select ${FACTOR_JSON} as f from auth.mfa_factors f where f.user_id = ${userId}::uuid order by f.created_at`);
  return rows.map((r) => r.f);
}

export async function findFactor(tx: Queryable, userId: string, factorId: string): Promise<FactorRow | undefined> {
  const { rows } = await tx.query<FactorRow & Record<string, unknown>>(sql`
    select f.id::text, f.status::text, f.factor_type::text, f.secret, ${FACTOR_JSON} as json
    from auth.mfa_factors f where f.id = ${factorId}::uuid and f.user_id = ${userId}::uuid for update`);
  return rows[0];
}

/** Drops unverified factors left over from enrolments never finished. */
export async function dropStaleFactors(tx: Queryable, userId: string): Promise<void> {
  await tx.query(sql`delete from auth.mfa_factors where user_id = ${userId}::uuid and status = 'unverified'
    and created_at < now() - make_interval(secs => ${CHALLENGE_SECONDS})`);
}

export interface FactorCounts {
  readonly total: number;
  readonly verified: number;
  readonly sameName: boolean;
}

export async function countFactors(tx: Queryable, userId: string, friendlyName: string): Promise<FactorCounts> {
  const { rows } = await tx.query<{ total: number; verified: number; same_name: boolean }>(sql`
    select count(*)::int as total, count(*) filter (where status = 'verified')::int as verified,
           coalesce(bool_or(coalesce(friendly_name, '') = ${friendlyName}), false) as same_name
    from auth.mfa_factors where user_id = ${userId}::uuid`);
  const r = rows[0];
  return { total: r?.total ?? 0, verified: r?.verified ?? 0, sameName: r?.same_name ?? false };
}

/** The name an authenticator app shows for the factor: the user's email, else their phone. */
export async function accountName(tx: Queryable, userId: string): Promise<string | undefined> {
  const { rows } = await tx.query<{ name: string }>(sql`select coalesce(nullif(email, ''), phone, '') as name from auth.users where id = ${userId}::uuid`);
  return rows[0]?.name;
}

export async function insertTotpFactor(tx: Queryable, userId: string, friendlyName: string, secret: string): Promise<FactorJson> {
  const { rows } = await tx.query<{ f: FactorJson }>(sql`
    with f as (insert into auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at, secret)
      values (gen_random_uuid(), ${userId}::uuid, ${friendlyName}, 'totp', 'unverified', now(), now(), ${secret}) returning *)
    select ${FACTOR_JSON} as f from f`);
  return rows[0]?.f as FactorJson;
}

/** The session's level as stored (aal1 until a second factor is verified in it). */
export async function sessionAal(tx: Queryable, sessionId: string | undefined): Promise<string> {
  if (sessionId === undefined) return 'aal1';
  const { rows } = await tx.query<{ aal: string | null }>(sql`select aal::text from auth.sessions where id = ${sessionId}::uuid`);
  return rows[0]?.aal ?? 'aal1';
}

export async function hasVerifiedFactor(tx: Queryable, userId: string): Promise<boolean> {
  const { rows } = await tx.query(sql`select 1 from auth.mfa_factors where user_id = ${userId}::uuid and status = 'verified' limit 1`);
  return rows.length > 0;
}

export async function createChallenge(tx: Queryable, factorId: string, ip: string): Promise<{ id: string; expiresAt: number }> {
  const { rows } = await tx.query<{ id: string; expires_at: number }>(sql`
    insert into auth.mfa_challenges (id, factor_id, created_at, ip_address) values (gen_random_uuid(), ${factorId}::uuid, now(), ${ip}::inet)
    returning id::text, extract(epoch from created_at + make_interval(secs => ${CHALLENGE_SECONDS}))::bigint as expires_at`);
  await tx.query(sql`update auth.mfa_factors set last_challenged_at = now(), updated_at = now() where id = ${factorId}::uuid`);
  const r = rows[0] as { id: string; expires_at: number };
  return { id: r.id, expiresAt: Number(r.expires_at) };
}

export interface ChallengeRow {
  readonly verified: boolean;
  readonly sameIp: boolean;
  readonly expired: boolean;
}

export async function findChallenge(tx: Queryable, factorId: string, challengeId: string, ip: string): Promise<ChallengeRow | undefined> {
  const { rows } = await tx.query<{ verified: boolean; same_ip: boolean; expired: boolean }>(sql`
    select verified_at is not null as verified, ip_address = ${ip}::inet as same_ip,
           created_at + make_interval(secs => ${CHALLENGE_SECONDS}) < now() as expired
    from auth.mfa_challenges where id = ${challengeId}::uuid and factor_id = ${factorId}::uuid for update`);
  const r = rows[0];
  return r === undefined ? undefined : { verified: r.verified, sameIp: r.same_ip, expired: r.expired };
}

/**
 * The last TOTP step accepted for the factor. A verified challenge keeps its step in
 * `otp_code` (unused for TOTP otherwise), so a code cannot be replayed on a new challenge.
 */
export async function lastAcceptedStep(tx: Queryable, factorId: string): Promise<number | undefined> {
  const { rows } = await tx.query<{ step: string | null }>(sql`
    select max(otp_code::bigint)::text as step from auth.mfa_challenges
    where factor_id = ${factorId}::uuid and verified_at is not null and otp_code ~ '^[0-9]+$'`);
  const step = rows[0]?.step ?? null;
  return step === null ? undefined : Number(step);
}

export async function deleteChallenge(tx: Queryable, challengeId: string): Promise<void> {
  await tx.query(sql`delete from auth.mfa_challenges where id = ${challengeId}::uuid`);
}

/**
 * A verified challenge: the factor is verified, the session gains the `totp` method and aal2,
 * the user's other aal1 sessions end, and other unfinished enrolments of the type go.
 */
export async function stepUp(tx: Queryable, userId: string, sessionId: string, factorId: string, challengeId: string, step: number): Promise<void> {
  await tx.query(sql`update auth.mfa_challenges set verified_at = now(), otp_code = ${String(step)} where id = ${challengeId}::uuid`);
  await tx.query(sql`update auth.mfa_factors set status = 'verified', updated_at = now() where id = ${factorId}::uuid`);
  await tx.query(sql`insert into auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
    values (gen_random_uuid(), ${sessionId}::uuid, now(), now(), 'totp')
    on conflict (session_id, authentication_method) do update set updated_at = now()`);
  await tx.query(sql`update auth.sessions set aal = 'aal2', factor_id = ${factorId}::uuid, updated_at = now() where id = ${sessionId}::uuid`);
  await tx.query(sql`delete from auth.sessions where user_id = ${userId}::uuid and id <> ${sessionId}::uuid and coalesce(aal, 'aal1') = 'aal1'`);
  await tx.query(sql`delete from auth.mfa_factors where user_id = ${userId}::uuid and id <> ${factorId}::uuid
    and factor_type = 'totp' and status = 'unverified'`);
}

export async function renameFactor(tx: Queryable, factorId: string, friendlyName: string): Promise<void> {
  await tx.query(sql`update auth.mfa_factors set friendly_name = ${friendlyName}, updated_at = now() where id = ${factorId}::uuid`);
}

/** Removes a factor; sessions it raised to aal2 lose its method and go back to aal1. */
export async function removeFactor(tx: Queryable, factorId: string): Promise<void> {
  await tx.query(sql`delete from auth.mfa_amr_claims where authentication_method in (${join(SECOND_FACTORS.map((m) => value(m)))})
    and session_id in (select id from auth.sessions where factor_id = ${factorId}::uuid)`);
  await tx.query(sql`update auth.sessions set aal = 'aal1', factor_id = null, updated_at = now() where factor_id = ${factorId}::uuid`);
  await tx.query(sql`delete from auth.mfa_factors where id = ${factorId}::uuid`);
}

/** A password or email change needs aal2 once the user has a verified factor. */
export async function requireAal2ForChange(tx: Queryable, who: Authenticated): Promise<void> {
  if ((await hasVerifiedFactor(tx, who.userId)) && (await sessionAal(tx, who.sessionId)) !== 'aal2') throw authErrors.updateNeedsAal2();
}
