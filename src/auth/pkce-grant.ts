// `/token?grant_type=pkce`: the auth code from a PKCE email link and its verifier become a
// session, whose `amr` names the flow (email/signup, recovery, magiclink, invite).
import type { AuthDeps } from './flows.ts';
import { customAccessTokenHook } from './hook.ts';
import { redeemAuthCode } from './pkce.ts';
import { createSession, userJson, type UserJson } from './store.ts';
import { sessionResponse, type SessionResponse } from './tokens.ts';

export async function pkceGrant(deps: AuthDeps, body: Record<string, unknown>): Promise<SessionResponse> {
  return deps.db.transaction(async (tx) => {
    const { userId, method } = await redeemAuthCode(tx, body);
    const grant = await createSession(tx, userId, method);
    const json = (await userJson(tx, userId)) as UserJson;
    return sessionResponse(deps.tokens, json, grant, customAccessTokenHook(tx, deps.config.customAccessTokenHook, userId, method));
  });
}
