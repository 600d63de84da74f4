// `/token?grant_type=pkce`: the auth code from a PKCE email link and its verifier become a
// session, whose `amr` names the flow (email/signup, recovery, magiclink, invite).
import { authErrors } from '../errors.ts';
import { verifierMatches } from '../codes/pkce.ts';
import { deleteFlowState, lockFlowState } from '../store/flow-state.ts';
import type { AuthDeps, Body, SessionResponse } from '../types.ts';
import { session } from './session.ts';

export async function pkceGrant(deps: AuthDeps, body: Body): Promise<SessionResponse> {
  const code = body['auth_code'];
  const verifier = body['code_verifier'];
  if (typeof code !== 'string' || code === '' || typeof verifier !== 'string' || verifier === '') {
    throw authErrors.validation('invalid request: both auth code and code verifier should be non-empty');
  }
  return deps.db.transaction(async (tx) => {
    // The auth code is spent: checked for age and verifier, its flow deleted.
    const flow = await lockFlowState(tx, code);
    if (flow === undefined || flow.user_id === null) throw authErrors.flowStateInvalid();
    if (flow.expired) throw authErrors.flowStateExpired();
    if (!verifierMatches(flow.pkce, verifier)) throw authErrors.badCodeVerifier();
    await deleteFlowState(tx, flow.id);
    return session(deps, tx, flow.user_id, flow.method);
  });
}
