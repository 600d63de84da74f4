// How every sign-in ends: a session (or a refreshed one) answered with the user and a signed
// access token, through the custom access token hook when one is configured.
import type { Queryable } from '../../db/port.ts';
import { authErrors } from '../errors.ts';
import { createSession } from '../store/sessions.ts';
import { userJson } from '../store/users.ts';
import { sessionResponse } from '../tokens/access-token.ts';
import { customAccessTokenHook } from '../tokens/hook.ts';
import type { AuthDeps, SessionGrant, SessionResponse } from '../types.ts';

/** A new session for a sign-in by `method`, answered with its tokens and the user. */
export async function session(deps: AuthDeps, tx: Queryable, userId: string, method: string): Promise<SessionResponse> {
  return respond(deps, tx, userId, await createSession(tx, userId, method), method);
}

/** The answer for a session's grant: the user and an access token, through the custom access token hook. */
export async function respond(deps: AuthDeps, tx: Queryable, userId: string, grant: SessionGrant, method: string): Promise<SessionResponse> {
  const user = await userJson(tx, userId);
  // Only a refresh can find its user gone (deleted since the session began), hence its error.
  if (user === undefined) throw authErrors.refreshTokenNotFound();
  return sessionResponse(deps.tokens, user, grant, customAccessTokenHook(tx, deps.config.customAccessTokenHook, userId, method));
}
