// PKCE for email flows (supabase-js `flowType: 'pkce'`): a flow that sends an email may carry
// a code challenge; its link then leads back with `?code=` instead of a session, and the
// client exchanges the code and its verifier at `/token?grant_type=pkce`.
import { createHash, timingSafeEqual } from 'node:crypto';
import { sql } from '../lib/sql.ts';
import type { Queryable } from '../db/port.ts';
import { authErrors } from './errors.ts';

export interface Pkce {
  readonly challenge: string;
  readonly method: 's256' | 'plain';
}

/** Stored tokens of PKCE flows carry this prefix, so /verify knows to answer with a code. */
export const PKCE_PREFIX = 'pkce_';
/** How long an auth code may wait for its exchange (Supabase Auth's minimum and default). */
export const FLOW_STATE_EXPIRY = 300;

const blank = (v: unknown) => v === undefined || v === null || v === '';

/** The challenge of a request body, when it has one. Pure. */
export function parsePkce(body: Readonly<Record<string, unknown>>): Pkce | undefined {
  const challenge = body['code_challenge'];
  const method = body['code_challenge_method'];
  if (blank(challenge) && blank(method)) return undefined;
  if (blank(challenge) || blank(method)) throw authErrors.validation('PKCE flow requires code_challenge_method and code_challenge');
  const m = String(method).toLowerCase();
  if (m !== 's256' && m !== 'plain') throw authErrors.validation(`Code challenge method not supported: ${String(method)}`);
  if (typeof challenge !== 'string' || !/^[A-Za-z0-9._~-]{43,128}$/.test(challenge)) {
    throw authErrors.validation('code challenge has to be between 43 and 128 characters and use only URL-safe characters');
  }
  return { challenge, method: m };
}

/** Whether `verifier` answers the challenge. Pure. */
export function verifierMatches(pkce: Pkce, verifier: string): boolean {
  const expected = pkce.method === 's256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return expected.length === pkce.challenge.length && timingSafeEqual(Buffer.from(expected), Buffer.from(pkce.challenge));
}

/** The authentication method a flow's session will carry in `amr`. */
export function flowMethod(verifyType: string): string {
  return verifyType === 'signup' ? 'email/signup' : verifyType;
}

export async function createFlowState(tx: Queryable, userId: string, pkce: Pkce, method: string): Promise<void> {
  await tx.query(sql`insert into auth.flow_state (id, user_id, auth_code, code_challenge_method, code_challenge, provider_type, created_at, updated_at, authentication_method)
    values (gen_random_uuid(), ${userId}::uuid, gen_random_uuid()::text, ${pkce.method}::auth.code_challenge_method, ${pkce.challenge}, 'email', now(), now(), ${method})`);
}

/** After a PKCE link is verified: the user's newest flow of that method gets its auth code issued. */
export async function issueAuthCode(tx: Queryable, userId: string, method: string): Promise<string> {
  const { rows } = await tx.query<{ auth_code: string }>(sql`
    update auth.flow_state set auth_code_issued_at = now(), updated_at = now()
    where id = (select id from auth.flow_state where user_id = ${userId}::uuid and authentication_method = ${method} order by created_at desc limit 1)
    returning auth_code`);
  const code = rows[0]?.auth_code;
  if (code === undefined) throw authErrors.flowStateNotFound();
  return code;
}

/** Spends an auth code: checks age and verifier, deletes the flow, and names its user and method. */
export async function redeemAuthCode(tx: Queryable, body: Readonly<Record<string, unknown>>): Promise<{ userId: string; method: string }> {
  const code = body['auth_code'];
  const verifier = body['code_verifier'];
  if (typeof code !== 'string' || code === '' || typeof verifier !== 'string' || verifier === '') {
    throw authErrors.validation('invalid request: both auth code and code verifier should be non-empty');
  }
  const { rows } = await tx.query<{ id: string; user_id: string | null; method: string; challenge: string; challenge_method: 's256' | 'plain'; expired: boolean }>(sql`
    select id::text, user_id::text, authentication_method as method, code_challenge as challenge, code_challenge_method::text as challenge_method,
      coalesce(auth_code_issued_at, created_at) + make_interval(secs => ${FLOW_STATE_EXPIRY}) < now() as expired
    from auth.flow_state where auth_code = ${code} for update`);
  const flow = rows[0];
  if (flow === undefined || flow.user_id === null) throw authErrors.flowStateInvalid();
  if (flow.expired) throw authErrors.flowStateExpired();
  if (!verifierMatches({ challenge: flow.challenge, method: flow.challenge_method }, verifier)) {
    throw authErrors.badCodeVerifier();
  }
  await tx.query(sql`delete from auth.flow_state where id = ${flow.id}::uuid`);
  return { userId: flow.user_id, method: flow.method };
}
