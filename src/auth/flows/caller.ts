// Who calls an Auth endpoint, from `Authorization: Bearer <jwt>`: a signed-in user (user
// endpoints), a non-anonymous one (MFA), or a service_role token (the admin API).
import { authErrors } from '../errors.ts';
import { sessionExists } from '../store/sessions.ts';
import type { AuthDeps, Authenticated } from '../types.ts';
import { isUuid } from '../validate.ts';

/** The verified claims of `Authorization: Bearer <jwt>`, or the error Supabase Auth gives. */
export async function bearerClaims(deps: Pick<AuthDeps, 'verify'>, authorization: string | undefined): Promise<Readonly<Record<string, unknown>>> {
  const m = /^bearer\s+(\S+)$/i.exec((authorization ?? '').trim());
  if (m === null) throw authErrors.noAuthorization();
  const verified = await deps.verify(m[1] as string);
  if (!verified.ok) throw authErrors.badJwt(`invalid JWT: unable to parse or verify signature, ${verified.failure.message}`);
  return verified.claims;
}

/** The caller of a user endpoint, from `Authorization: Bearer <access token>`. */
export async function authenticate(deps: AuthDeps, authorization: string | undefined): Promise<Authenticated> {
  const claims = await bearerClaims(deps, authorization);
  const sub = claims['sub'];
  if (typeof sub !== 'string' || sub === '') throw authErrors.badJwt('invalid claim: missing sub claim');
  if (!isUuid(sub)) throw authErrors.badJwt('invalid claim: sub claim must be a UUID');
  const sid = claims['session_id'];
  // A session_id that is not a UUID is a bad claim (GoTrue's answer), never a query.
  const sessionId = typeof sid === 'string' && sid !== '' ? sid : undefined;
  if (sessionId !== undefined && !isUuid(sessionId)) throw authErrors.badJwt('invalid claim: session_id claim must be a UUID');
  if (sessionId !== undefined && !(await deps.db.transaction((tx) => sessionExists(tx, sessionId)))) throw authErrors.sessionNotFound();
  return { userId: sub, sessionId, anonymous: claims['is_anonymous'] === true };
}

/** The caller of a `/factors` endpoint: a signed-in user that is not anonymous. */
export async function mfaCaller(deps: AuthDeps, authorization: string | undefined): Promise<Authenticated> {
  const who = await authenticate(deps, authorization);
  if (who.anonymous === true) throw authErrors.anonymousMfa();
  return who;
}

/** Only a service_role or supabase_admin token may use the admin API. */
export async function requireAdmin(deps: AuthDeps, authorization: string | undefined): Promise<void> {
  const role = (await bearerClaims(deps, authorization))['role'];
  if (role !== 'service_role' && role !== 'supabase_admin') throw authErrors.notAdmin();
}
