// MFA with TOTP (`/factors`): enrol a factor, challenge it, verify a code to raise the
// session to aal2, unenrol (the admin's view of a user's factors is admin-factors.ts).
// Phone and WebAuthn factors answer with Supabase Auth's "disabled" errors.
import type { Queryable } from '../../db/port.ts';
import { authErrors, disabled } from '../errors.ts';
import { newTotpSecret, otpauthUri, totpStep } from '../codes/totp.ts';
import { hit, refuseIfSpent } from '../store/rate-limits.ts';
import { amrOf, replaceRefreshToken } from '../store/sessions.ts';
import type { AuthDeps, Authenticated, Body, SessionResponse } from '../types.ts';
import { isUuid } from '../validate.ts';
import { respond } from './session.ts';
import {
  accountName,
  countFactors,
  createChallenge,
  deleteChallenge,
  dropStaleFactors,
  findChallenge,
  findFactor,
  insertTotpFactor,
  lastAcceptedStep,
  MAX_FACTORS,
  removeFactor,
  sessionAal,
  stepUp,
  type FactorRow,
} from '../store/factors.ts';

/** Wrong codes a factor takes per rate-limit window (5 minutes) before it is locked for the rest of it. */
const MAX_WRONG_CODES = 10;

/** An optional text field: absent or null is undefined, anything but a string is refused. */
export const optionalText = (v: unknown, name: string): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw authErrors.validation(`${name} must be a string`);
  return v;
};

/** A factor id from the path: a UUID, else Supabase Auth's 404. */
export function factorIdOf(id: string): string {
  if (!isUuid(id)) throw authErrors.badFactorId();
  return id;
}

/** The caller's factor, locked; another user's is not found. */
export async function factorOf(tx: Queryable, who: Authenticated, id: string): Promise<FactorRow> {
  const factor = await findFactor(tx, who.userId, id);
  if (factor === undefined) throw authErrors.factorNotFound();
  return factor;
}

export interface TotpEnrolment {
  readonly id: string;
  readonly type: 'totp';
  readonly friendly_name: string;
  readonly totp: { readonly qr_code: string; readonly secret: string; readonly uri: string };
}

export async function enroll(deps: AuthDeps, who: Authenticated, body: Body): Promise<TotpEnrolment> {
  const type = body['factor_type'];
  if (type === 'phone') throw disabled.mfaPhoneEnroll();
  if (type === 'webauthn') throw disabled.mfaWebauthnEnroll();
  if (type !== 'totp') throw authErrors.badFactorType();
  const friendlyName = optionalText(body['friendly_name'], 'friendly_name') ?? '';
  const issuer = optionalText(body['issuer'], 'issuer') || new URL(deps.config.siteUrl).host;
  const secret = newTotpSecret();
  const { factor, account } = await deps.db.transaction(async (tx) => {
    await dropStaleFactors(tx, who.userId);
    const counts = await countFactors(tx, who.userId, friendlyName);
    if (counts.sameName) throw authErrors.factorNameConflict(friendlyName);
    if (counts.total >= MAX_FACTORS || counts.verified >= MAX_FACTORS) throw authErrors.tooManyFactors();
    if (counts.verified > 0 && (await sessionAal(tx, who.sessionId)) !== 'aal2') throw authErrors.enrollNeedsAal2();
    const account = await accountName(tx, who.userId);
    if (account === undefined) throw authErrors.userNotFound();
    return { factor: await insertTotpFactor(tx, who.userId, friendlyName, secret), account };
  });
  const uri = otpauthUri(secret, issuer, account);
  // Imported on the first enrolment rather than at start-up.
  const { default: QRCode } = await import('qrcode');
  const qr = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M' });
  return { id: factor.id, type: 'totp', friendly_name: friendlyName, totp: { qr_code: qr, secret, uri } };
}

export async function challenge(deps: AuthDeps, who: Authenticated, id: string, ip: string): Promise<{ id: string; type: string; expires_at: number }> {
  const factorId = factorIdOf(id);
  return deps.db.transaction(async (tx) => {
    const factor = await factorOf(tx, who, factorId);
    const c = await createChallenge(tx, factor.id, ip);
    return { id: c.id, type: factor.factor_type, expires_at: c.expiresAt };
  });
}

export async function verifyFactor(deps: AuthDeps, who: Authenticated, id: string, body: Body, ip: string): Promise<SessionResponse> {
  const factorId = factorIdOf(id);
  const code = body['code'];
  if (typeof code !== 'string' || code === '') throw authErrors.emptyCode();
  const challengeId = body['challenge_id'];
  if (typeof challengeId !== 'string' || !isUuid(challengeId)) throw authErrors.challengeNotFound();
  const sessionId = who.sessionId;
  if (sessionId === undefined) throw authErrors.sessionNotFound();
  const wrongCodes = `mfa-wrong:factor:${factorId}`;
  await refuseIfSpent(deps.db, wrongCodes, MAX_WRONG_CODES);
  const outcome = await deps.db.transaction(async (tx) => {
    const factor = await factorOf(tx, who, factorId);
    const c = await findChallenge(tx, factorId, challengeId, ip);
    if (c === undefined) throw authErrors.challengeNotFound();
    if (c.verified || !c.sameIp) throw authErrors.challengeIpMismatch();
    if (c.expired) {
      await deleteChallenge(tx, challengeId);
      return 'expired' as const; // committed, then reported
    }
    const step = totpStep(factor.secret ?? '', code, Date.now() / 1000);
    const last = await lastAcceptedStep(tx, factorId);
    if (step === undefined || (last !== undefined && step <= last)) return 'wrong' as const;
    await stepUp(tx, who.userId, sessionId, factorId, challengeId, step);
    const refreshToken = await replaceRefreshToken(tx, who.userId, sessionId);
    return respond(deps, tx, who.userId, { sessionId, refreshToken, ...(await amrOf(tx, sessionId)) }, 'totp');
  });
  if (outcome === 'expired') throw authErrors.challengeExpired(challengeId);
  if (outcome === 'wrong') {
    await hit(deps.db, wrongCodes, MAX_WRONG_CODES);
    throw authErrors.totpInvalid();
  }
  return outcome;
}

export async function unenroll(deps: AuthDeps, who: Authenticated, id: string): Promise<{ id: string }> {
  const factorId = factorIdOf(id);
  return deps.db.transaction(async (tx) => {
    const factor = await factorOf(tx, who, factorId);
    if (factor.status === 'verified' && (await sessionAal(tx, who.sessionId)) !== 'aal2') throw authErrors.unenrollNeedsAal2();
    await removeFactor(tx, factor.id);
    return { id: factor.id };
  });
}
