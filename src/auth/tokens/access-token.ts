// Access tokens with the claims Supabase Auth issues, and the session response built
// around one. Signed with the key set's signing key when one is configured (RS256/ES256),
// else HS256 with the project secret.
import { createSecretKey, type KeyObject } from 'node:crypto';
import { signHs256 } from '../../keys/hs256.ts';
import { signAsymmetric } from '../../keys/key-set.ts';
import type { SessionGrant, SessionResponse, TokenSettings, UserJson } from '../types.ts';

const keys = new Map<string, KeyObject>();
/** The secret as a KeyObject, made once per secret. */
function signingKey(secret: string): KeyObject {
  let key = keys.get(secret);
  if (key === undefined) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

/** Lets the custom access token hook see and change the claims before they are signed. */
export type ClaimsHook = (claims: Record<string, unknown>) => Promise<Record<string, unknown>>;

export async function sessionResponse(t: TokenSettings, user: UserJson, grant: SessionGrant, hook?: ClaimsHook): Promise<SessionResponse> {
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + t.expiry;
  const claims = {
    iss: t.issuer,
    sub: user.id,
    aud: 'authenticated',
    exp,
    iat,
    email: user.email,
    phone: user.phone,
    app_metadata: user['app_metadata'],
    user_metadata: user['user_metadata'],
    role: user.role,
    aal: grant.aal,
    amr: grant.amr,
    session_id: grant.sessionId,
    is_anonymous: user.is_anonymous,
  };
  const final = hook === undefined ? claims : await hook(claims);
  const access = t.keySet.signer === undefined ? signHs256(final, signingKey(t.secret)) : signAsymmetric(final, t.keySet.signer);
  return { access_token: access, token_type: 'bearer', expires_in: t.expiry, expires_at: exp, refresh_token: grant.refreshToken, user };
}
