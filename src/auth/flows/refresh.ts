// POST /token?grant_type=refresh_token: the refresh token rotates (with reuse detection,
// store/sessions.ts) and the session is answered anew, in one transaction. Reuse detected
// ends the session for good: thief and owner are both signed out.
import { authErrors } from '../errors.ts';
import { rotateRefreshToken } from '../store/sessions.ts';
import type { AuthDeps, Body, SessionResponse } from '../types.ts';
import { respond } from './session.ts';

export async function refreshGrant(deps: AuthDeps, body: Body): Promise<SessionResponse> {
  const token = body['refresh_token'];
  if (typeof token !== 'string' || !/^[a-z0-9]{12}$/.test(token)) throw authErrors.refreshTokenInvalid();
  // One transaction: rotate and answer. On reuse the transaction returns (so the session's
  // deletion commits) and only then is the error reported.
  const result = await deps.db.transaction(async (tx) => {
    const rotated = await rotateRefreshToken(tx, token, deps.config.refreshReuseInterval);
    if ('reused' in rotated) return rotated;
    return respond(deps, tx, rotated.userId, rotated.grant, rotated.grant.amr[0]?.method ?? 'password');
  });
  if ('reused' in result) throw authErrors.refreshTokenReused();
  return result;
}
