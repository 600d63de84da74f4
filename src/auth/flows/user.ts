// The signed-in user's own endpoints: GET /user, PUT /user (password, email, phone,
// metadata; changes need aal2 once the user has a verified factor) and POST /logout.
import { authErrors } from '../errors.ts';
import { parsePkce } from '../codes/pkce.ts';
import { requireAal2ForChange } from '../store/factors.ts';
import { endSessions } from '../store/sessions.ts';
import { findUserByEmail, hashPassword, mergeMetadata, passwordHashOf, passwordMatches, setPasswordHash, userJson } from '../store/users.ts';
import type { AuthDeps, Authenticated, Body, UserJson } from '../types.ts';
import { asObject, checkMetadataSize, checkPassword, normaliseEmail, passwordPolicy, present } from '../validate.ts';
import { requestEmailChange } from './email-change.ts';
import { changePhone } from './phone.ts';
import { checkReauthentication } from './reauthenticate.ts';

export async function getUser(deps: AuthDeps, who: Authenticated): Promise<UserJson> {
  const user = await deps.db.transaction((tx) => userJson(tx, who.userId));
  if (user === undefined) throw authErrors.userNotFound();
  return user;
}

export async function updateUser(deps: AuthDeps, who: Authenticated, body: Body, redirectTo?: string): Promise<UserJson> {
  return deps.db.transaction(async (tx) => {
    // First, as GoTrue loads the user before any change (a deleted user's token writes nothing).
    if ((await userJson(tx, who.userId)) === undefined) throw authErrors.userNotFound();
    if (present(body['password']) || present(body['email']) || present(body['phone'])) await requireAal2ForChange(tx, who);
    if (present(body['password'])) {
      const password = checkPassword(body['password'], passwordPolicy(deps.config));
      await checkReauthentication(tx, deps, who, body['nonce']);
      if (await passwordMatches(tx, password, await passwordHashOf(tx, who.userId))) throw authErrors.samePassword();
      await setPasswordHash(tx, who.userId, await hashPassword(tx, password));
      // A new password ends every other session.
      await endSessions(tx, who.userId, who.sessionId, 'others');
    }
    if (present(body['email'])) {
      const email = normaliseEmail(body['email']);
      const taken = await findUserByEmail(tx, email);
      if (taken !== undefined && taken.id !== who.userId) throw authErrors.emailExists();
      await requestEmailChange(tx, deps, who, email, redirectTo, parsePkce(body));
    }
    if (present(body['phone'])) await changePhone(tx, deps, who.userId, body);
    const writesMetadata = body['data'] !== undefined && body['data'] !== null;
    if (writesMetadata) await mergeMetadata(tx, who.userId, 'user', asObject(body['data']) ?? {});
    const user = await userJson(tx, who.userId);
    if (user === undefined) throw authErrors.userNotFound();
    // Merged, the metadata may have grown past what a token can carry: refused, rolled back.
    if (writesMetadata) checkMetadataSize(user['user_metadata'], user['app_metadata']);
    return user;
  });
}

export async function logout(deps: AuthDeps, who: Authenticated, scope: string | undefined): Promise<void> {
  const s = scope === undefined || scope === '' ? 'global' : scope;
  if (s !== 'global' && s !== 'local' && s !== 'others') throw authErrors.logoutScope(s);
  await deps.db.transaction((tx) => endSessions(tx, who.userId, who.sessionId, s));
}
