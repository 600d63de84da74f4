// POST /token?grant_type=password: a sign-in by email or phone and password.
import type { Queryable } from '../../db/port.ts';
import { formatPhone } from '../../lib/phone.ts';
import { authErrors, type AuthError } from '../errors.ts';
import { findUserByPhone } from '../store/phones.ts';
import { findUserByEmail, passwordMatches } from '../store/users.ts';
import type { AuthDeps, Body, LoginRow, SessionResponse } from '../types.ts';
import { passwordPolicy, present, weakPasswordReasons } from '../validate.ts';
import { session } from './session.ts';

export async function passwordGrant(deps: AuthDeps, body: Body): Promise<SessionResponse> {
  const hasEmail = present(body['email']);
  if (hasEmail && present(body['phone'])) throw authErrors.validation('Only an email address or phone number should be provided on login.');
  if (!hasEmail && !present(body['phone'])) throw authErrors.validation('missing email or phone');
  if (hasEmail) return passwordSignIn(deps, body['password'], (tx) => findUserByEmail(tx, String(body['email'])), authErrors.emailNotConfirmed);
  if (!deps.config.phoneEnabled) throw authErrors.phoneLoginsDisabled();
  // By phone, `+` and spaces are dropped but the number is not validated.
  const phone = formatPhone(String(body['phone']));
  return passwordSignIn(deps, body['password'], (tx) => findUserByPhone(tx, phone), authErrors.phoneNotConfirmed);
}

/**
 * A password sign-in for the user `find` names (by email or phone): bans first, then the
 * password (compared even for no user, so timing tells nothing), then confirmation.
 */
async function passwordSignIn(deps: AuthDeps, given: unknown, find: (tx: Queryable) => Promise<LoginRow | undefined>, unconfirmed: () => AuthError): Promise<SessionResponse> {
  const password = typeof given === 'string' ? given : '';
  return deps.db.transaction(async (tx) => {
    const user = await find(tx);
    if (user?.banned === true) throw authErrors.userBanned();
    const ok = await passwordMatches(tx, password, user?.encrypted_password ?? null);
    if (user === undefined || !ok) throw authErrors.invalidCredentials();
    if (!user.confirmed) throw unconfirmed();
    const s = await session(deps, tx, user.id, 'password');
    const weak = weakPasswordReasons(password, passwordPolicy(deps.config));
    return { ...s, weak_password: weak.reasons.length > 0 ? { message: weak.message, reasons: weak.reasons } : null };
  });
}
