// PKCE flow states in auth.flow_state: created when a PKCE email goes out, given an auth code
// when its link is verified, and spent by the code exchange (flows/pkce-grant.ts).
import { sql } from '../../lib/sql.ts';
import type { Queryable } from '../../db/port.ts';
import { authErrors } from '../errors.ts';
import { FLOW_STATE_EXPIRY, type Pkce } from '../codes/pkce.ts';

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

export interface FlowStateRow {
  readonly id: string;
  readonly user_id: string | null;
  readonly method: string;
  readonly pkce: Pkce;
  /** Older than FLOW_STATE_EXPIRY since its code was issued (or since it began). */
  readonly expired: boolean;
}

/** The flow an auth code belongs to, locked until the transaction ends. */
export async function lockFlowState(tx: Queryable, authCode: string): Promise<FlowStateRow | undefined> {
  const { rows } = await tx.query<{ id: string; user_id: string | null; method: string; challenge: string; challenge_method: 's256' | 'plain'; expired: boolean }>(sql`
    select id::text, user_id::text, authentication_method as method, code_challenge as challenge, code_challenge_method::text as challenge_method,
      coalesce(auth_code_issued_at, created_at) + make_interval(secs => ${FLOW_STATE_EXPIRY}) < now() as expired
    from auth.flow_state where auth_code = ${authCode} for update`);
  const r = rows[0];
  return r === undefined ? undefined : { id: r.id, user_id: r.user_id, method: r.method, pkce: { challenge: r.challenge, method: r.challenge_method }, expired: r.expired };
}

export async function deleteFlowState(tx: Queryable, id: string): Promise<void> {
  await tx.query(sql`delete from auth.flow_state where id = ${id}::uuid`);
}
