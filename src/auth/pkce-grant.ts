// `/token?grant_type=pkce`: the auth code from a PKCE email link and its verifier become a
// session, whose `amr` names the flow (email/signup, recovery, magiclink, invite).
import { session, type AuthDeps } from './flows.ts';
import { redeemAuthCode } from './pkce.ts';
import type { SessionResponse } from './tokens.ts';

export async function pkceGrant(deps: AuthDeps, body: Record<string, unknown>): Promise<SessionResponse> {
  return deps.db.transaction(async (tx) => {
    const { userId, method } = await redeemAuthCode(tx, body);
    return session(deps, tx, userId, method);
  });
}
