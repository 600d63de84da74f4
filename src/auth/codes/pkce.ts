// PKCE for email flows (supabase-js `flowType: 'pkce'`): a flow that sends an email may carry
// a code challenge; its link then leads back with `?code=` instead of a session, and the
// client exchanges the code and its verifier at `/token?grant_type=pkce`. Pure: the flow
// state itself is stored by store/flow-state.ts.
import { createHash, timingSafeEqual } from 'node:crypto';
import { authErrors } from '../errors.ts';

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
