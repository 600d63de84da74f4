// Verifies a bearer token and reports failures with PostgREST v13's categories and
// messages: PGRST301 for a token that cannot be decoded or verified, PGRST303 for claims
// that fail validation (30 s of clock skew allowed). HMAC tokens are checked with the project
// secret, RS256/ES256 ones with the configured key set (by `kid`); `alg: none` is refused, and
// so is a `crit` header (RFC 7515 §4.1.11: no extension is understood here). A present `aud`
// must be a string or a list of strings; with an audience configured (PostgREST's jwt-aud)
// it must name it, while a token without one (the API keys) passes, as in PostgREST.
import { createSecretKey, type KeyObject } from 'node:crypto';
import { decodeJson, isObject, verifyHmac, type HmacResult } from './hs256.ts';
import { EMPTY_KEY_SET, verifyAsymmetric, type KeySet } from './key-set.ts';

export type TokenFailure = { readonly kind: 'decode' | 'claims'; readonly message: string };

export type TokenResult =
  | { readonly ok: true; readonly claims: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly failure: TokenFailure };

export type TokenVerifier = (token: string) => Promise<TokenResult>;

export interface VerifierOptions {
  /** The audience a token's `aud` must name when it has one (GROUNDWORK_JWT_AUD); undefined: any. */
  readonly audience?: string | undefined;
}

const CLOCK_SKEW_SECONDS = 30;

function failure(kind: TokenFailure['kind'], message: string): TokenResult {
  return { ok: false, failure: { kind, message } };
}

/** Verified tokens kept, so a client's repeated token costs one lookup, not one HMAC. */
const CACHE_SIZE = 1000;

export function createTokenVerifier(secret: string, keySet: KeySet = EMPTY_KEY_SET, options: VerifierOptions = {}): TokenVerifier {
  // A KeyObject made once: given raw bytes, jose would import the key on every call.
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  const verified = new Map<string, Readonly<Record<string, unknown>>>();
  const verify = uncachedVerifier(key, keySet, options.audience);
  return async (token) => {
    const hit = verified.get(token);
    if (hit !== undefined) {
      const exp = hit['exp'];
      // Past its expiry the token is verified again, which reports "JWT expired".
      if (typeof exp !== 'number' || exp + CLOCK_SKEW_SECONDS > Date.now() / 1000) return { ok: true, claims: hit };
      verified.delete(token);
    }
    const result = await verify(token);
    if (result.ok) {
      if (verified.size >= CACHE_SIZE) verified.delete(verified.keys().next().value as string);
      verified.set(token, result.claims);
    }
    return result;
  };
}

type Checked = Exclude<HmacResult, { ok: true }> | { readonly ok: true; readonly header: Record<string, unknown>; readonly payload: Record<string, unknown> };

/** Signature check by the algorithm the header names; a signed token comes with its header. */
function checkSignature(token: string, key: KeyObject, keySet: KeySet): Checked {
  const [h = '', p = ''] = token.split('.');
  const header = decodeJson(h);
  if (!isObject(header)) return { ok: false, reason: 'malformed' };
  const alg = header['alg'];
  if (alg !== 'RS256' && alg !== 'ES256') {
    const checked = verifyHmac(token, key);
    return checked.ok ? { ok: true, header, payload: checked.payload } : checked;
  }
  if (keySet.verifiers.size === 0) return { ok: false, reason: 'algorithm' };
  if (!verifyAsymmetric(token, alg, header['kid'], keySet)) return { ok: false, reason: 'signature' };
  const payload = decodeJson(p);
  return isObject(payload) ? { ok: true, header, payload } : { ok: false, reason: 'malformed' };
}

const CRIT_MESSAGE = "JWT header 'crit' names an extension this server does not support";
const AUD_TYPE = "The JWT 'aud' claim must be a string or an array of strings";

/**
 * PostgREST's claim checks, in its order (exp, nbf, iat, aud; the first failure is reported).
 * A claim that is absent or null is not checked (PostgREST reads each with `.:?`).
 */
function checkClaims(claims: Readonly<Record<string, unknown>>, audience: string | undefined): TokenResult | undefined {
  const now = Date.now() / 1000;
  const times = [
    ['exp', (t: number) => now > t + CLOCK_SKEW_SECONDS, 'JWT expired'],
    ['nbf', (t: number) => now < t - CLOCK_SKEW_SECONDS, 'JWT not yet valid'],
    ['iat', (t: number) => now < t - CLOCK_SKEW_SECONDS, 'JWT issued at future'],
  ] as const;
  for (const [name, fails, message] of times) {
    const value = claims[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number') return failure('claims', `The JWT '${name}' claim must be a number`);
    if (fails(value)) return failure('claims', message);
  }
  const aud = claims['aud'];
  if (aud === undefined || aud === null) return undefined;
  const list = typeof aud === 'string' ? [aud] : Array.isArray(aud) && aud.every((a) => typeof a === 'string') ? (aud as string[]) : undefined;
  if (list === undefined) return failure('claims', AUD_TYPE);
  // An empty list names no audience, which PostgREST accepts like an absent claim.
  if (audience !== undefined && list.length > 0 && !list.includes(audience)) return failure('claims', 'JWT not in audience');
  return undefined;
}

function uncachedVerifier(key: KeyObject, keySet: KeySet, audience: string | undefined): TokenVerifier {
  return async (token) => {
    const parts = token.split('.').length;
    if (parts !== 3) return failure('decode', `Expected 3 parts in JWT; got ${parts}`);
    const checked = checkSignature(token, key, keySet);
    if (!checked.ok) {
      if (checked.reason === 'algorithm') return failure('decode', 'Wrong or unsupported encoding algorithm');
      if (checked.reason === 'signature') return failure('decode', 'JWT cryptographic operation failed');
      return failure('decode', "JWT couldn't be decoded");
    }
    // RFC 7515 §4.1.11: a JWS whose `crit` names an extension the recipient does not understand
    // is invalid; no extension is understood here, so any `crit` (even a malformed one) is refused.
    // Checked once the signature holds, so a forged token still reports its signature.
    if (Object.hasOwn(checked.header, 'crit')) return failure('decode', CRIT_MESSAGE);
    return checkClaims(checked.payload, audience) ?? { ok: true, claims: checked.payload };
  };
}
