// The Auth endpoints' logic, one function per flow, each in one transaction on the auth
// schema (as the server's own role: these tables are not exposed to the API roles).
import type { Database, Queryable } from '../db/port.ts';
import type { TokenVerifier } from '../keys/verify-token.ts';
import type { Config } from '../config/load.ts';
import type { Observer } from '../observe/events.ts';
import type { MailTemplates } from '../mail/templates.ts';
import { sql } from '../lib/sql.ts';
import { authErrors, type AuthError } from './errors.ts';
import { createSession, createUser, endSessions, findUserByEmail, hashPassword, passwordMatches, rotateRefreshToken, sessionExists, userJson, type LoginRow, type SessionGrant, type UserJson } from './store.ts';
import { customAccessTokenHook } from './hook.ts';
import { lookalikeUser } from './lookalike.ts';
import { requireAal2ForChange } from './mfa-store.ts';
import { checkReauthentication } from './reauthenticate.ts';
import { checkFrequency, issueCode } from './email-flows.ts';
import { requestEmailChange } from './email-change.ts';
import { parsePkce } from './pkce.ts';
import { changePhone, phonePasswordGrant, phoneSignup } from './phone-flows.ts';
import { sessionResponse, type SessionResponse, type TokenSettings } from './tokens.ts';
import { asObject, checkPassword, isUuid, normaliseEmail, passwordPolicy, present, weakPasswordReasons } from './validate.ts';

export interface AuthDeps {
  readonly db: Database;
  readonly config: Config['auth'];
  readonly tokens: TokenSettings;
  readonly verify: TokenVerifier;
  readonly observe: Observer;
  /** Where this server is reached, for links in emails (e.g. http://127.0.0.1:54321); known once listening. */
  readonly externalUrl: () => string;
  /** The project's email templates, read at start-up; the built-in ones when absent. */
  readonly mailTemplates?: MailTemplates;
  /** The name of the configured SMS provider (`webhook`, `twilio`); absent: SMS stay in the outbox. */
  readonly smsProvider?: string;
  /** Emails go out over SMTP (else they stay in the outbox). */
  readonly mailDelivered?: boolean;
}

type Body = Record<string, unknown>;
const obj = (v: unknown): Record<string, unknown> => asObject(v) ?? {};

export async function signup(deps: AuthDeps, body: Body, redirectTo?: string): Promise<SessionResponse | UserJson> {
  const data = obj(body['data']);
  if (!present(body['email']) && !present(body['phone'])) {
    if (!deps.config.anonymousSignIns) throw authErrors.anonymousDisabled();
    if (deps.config.disableSignup) throw authErrors.signupDisabled();
    return deps.db.transaction(async (tx) => {
      const id = await createUser(tx, { email: null, passwordHash: null, data, confirmed: false, anonymous: true });
      return session(deps, tx, id, 'anonymous');
    });
  }
  if (deps.config.disableSignup) throw authErrors.signupDisabled();
  if (present(body['phone'])) return phoneSignup(deps, body);
  const password = checkPassword(body['password'], passwordPolicy(deps.config));
  const email = normaliseEmail(body['email']);
  const pkce = parsePkce(body);
  return deps.db.transaction(async (tx) => {
    const existing = await findUserByEmail(tx, email);
    if (existing !== undefined) {
      // Only this channel's setting: email confirmations on must not reveal taken addresses.
      if (existing.confirmed && deps.config.autoconfirm) throw authErrors.userAlreadyExists();
      // Unconfirmed: the confirmation is sent again (the user row is left as it was).
      if (!existing.confirmed) {
        await checkFrequency(tx, existing.id, 'confirmation');
        await issueCode(tx, deps, existing.id, email, 'confirmation', 'confirmation', 'signup', redirectTo, pkce);
      }
      // Unconfirmed, or confirmations on: answer like a new sign-up, revealing nothing.
      return lookalikeUser('email', email, data);
    }
    const hash = await hashPassword(tx, password);
    const id = await createUser(tx, { email, passwordHash: hash, data, confirmed: deps.config.autoconfirm, anonymous: false });
    if (!deps.config.autoconfirm) {
      await issueCode(tx, deps, id, email, 'confirmation', 'confirmation', 'signup', redirectTo, pkce);
      return (await userJson(tx, id)) as UserJson;
    }
    return session(deps, tx, id, 'password');
  });
}

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

export async function passwordGrant(deps: AuthDeps, body: Body): Promise<SessionResponse> {
  const hasEmail = present(body['email']);
  if (hasEmail && present(body['phone'])) throw authErrors.validation('Only an email address or phone number should be provided on login.');
  if (!hasEmail && !present(body['phone'])) throw authErrors.validation('missing email or phone');
  if (!hasEmail) return phonePasswordGrant(deps, body);
  return passwordSignIn(deps, body['password'], (tx) => findUserByEmail(tx, String(body['email'])), authErrors.emailNotConfirmed);
}

/**
 * A password sign-in for the user `find` names (by email or phone): bans first, then the
 * password (compared even for no user, so timing tells nothing), then confirmation.
 */
export async function passwordSignIn(deps: AuthDeps, given: unknown, find: (tx: Queryable) => Promise<LoginRow | undefined>, unconfirmed: () => AuthError): Promise<SessionResponse> {
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

export async function refreshGrant(deps: AuthDeps, body: Body): Promise<SessionResponse> {
  const token = body['refresh_token'];
  if (typeof token !== 'string' || !/^[a-z0-9]{12}$/.test(token)) throw authErrors.refreshTokenInvalid();
  // One transaction: rotate and answer. On reuse the revocation commits first, then the error is reported.
  const result = await deps.db.transaction(async (tx) => {
    const rotated = await rotateRefreshToken(tx, token, deps.config.refreshReuseInterval);
    if ('reused' in rotated) return rotated;
    return respond(deps, tx, rotated.userId, rotated.grant, rotated.grant.amr[0]?.method ?? 'password');
  });
  if ('reused' in result) throw authErrors.refreshTokenReused();
  return result;
}

export interface Authenticated {
  readonly userId: string;
  readonly sessionId: string | undefined;
  /** The token's `is_anonymous` claim. */
  readonly anonymous?: boolean;
}

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
  const sessionId = typeof sid === 'string' && sid !== '' ? sid : undefined;
  if (sessionId !== undefined && !(await deps.db.transaction((tx) => sessionExists(tx, sessionId)))) throw authErrors.sessionNotFound();
  return { userId: sub, sessionId, anonymous: claims['is_anonymous'] === true };
}

export async function getUser(deps: AuthDeps, who: Authenticated): Promise<UserJson> {
  const user = await deps.db.transaction((tx) => userJson(tx, who.userId));
  if (user === undefined) throw authErrors.userNotFound();
  return user;
}

export async function updateUser(deps: AuthDeps, who: Authenticated, body: Body, redirectTo?: string): Promise<UserJson> {
  return deps.db.transaction(async (tx) => {
    if (present(body['password']) || present(body['email']) || present(body['phone'])) await requireAal2ForChange(tx, who);
    if (present(body['password'])) {
      const password = checkPassword(body['password'], passwordPolicy(deps.config));
      await checkReauthentication(tx, deps, who, body['nonce']);
      const current = await tx.query<{ h: string | null }>(sql`select nullif(encrypted_password, '') as h from auth.users where id = ${who.userId}::uuid`);
      if (await passwordMatches(tx, password, current.rows[0]?.h ?? null)) throw authErrors.samePassword();
      await tx.query(sql`update auth.users set encrypted_password = ${await hashPassword(tx, password)}, updated_at = now() where id = ${who.userId}::uuid`);
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
    if (body['data'] !== undefined && body['data'] !== null) {
      // Shallow merge; keys set to null are removed.
      const data = obj(body['data']);
      await tx.query(sql`update auth.users set raw_user_meta_data = (
          select coalesce(jsonb_object_agg(key, value), '{}') from jsonb_each(coalesce(raw_user_meta_data, '{}') || ${JSON.stringify(data)}::jsonb)
          where value <> 'null'::jsonb), updated_at = now() where id = ${who.userId}::uuid`);
    }
    const user = await userJson(tx, who.userId);
    if (user === undefined) throw authErrors.userNotFound();
    return user;
  });
}

export async function logout(deps: AuthDeps, who: Authenticated, scope: string | undefined): Promise<void> {
  const s = scope === undefined || scope === '' ? 'global' : scope;
  if (s !== 'global' && s !== 'local' && s !== 'others') throw authErrors.logoutScope(s);
  await deps.db.transaction((tx) => endSessions(tx, who.userId, who.sessionId, s));
}
