// Verifies a bearer token and reports failures with PostgREST v13's categories and
// messages: PGRST301 for a token that cannot be decoded or verified, PGRST303 for claims
// that fail validation (30 s of clock skew allowed). HMAC tokens are checked with the project
// secret, RS256/ES256 ones with the configured key set (by `kid`); `alg: none` is refused.
import { createSecretKey, type KeyObject } from 'node:crypto';
import { decodeJson, isObject, verifyHmac, type HmacResult } from './hs256.ts';
import { EMPTY_KEY_SET, verifyAsymmetric, type KeySet } from './key-set.ts';

export type TokenFailure = { readonly kind: 'decode' | 'claims'; readonly message: string };

export type TokenResult =
  | { readonly ok: true; readonly claims: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly failure: TokenFailure };

export type TokenVerifier = (token: string) => Promise<TokenResult>;

const CLOCK_SKEW_SECONDS = 30;

function failure(kind: TokenFailure['kind'], message: string): TokenResult {
  return { ok: false, failure: { kind, message } };
}

/** Verified tokens kept, so a client's repeated token costs one lookup, not one HMAC. */
const CACHE_SIZE = 1000;

export function createTokenVerifier(secret: string, keySet: KeySet = EMPTY_KEY_SET): TokenVerifier {
  // A KeyObject made once: given raw bytes, jose would import the key on every call.
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  const verified = new Map<string, Readonly<Record<string, unknown>>>();
  const verify = uncachedVerifier(key, keySet);
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

/** Signature check by the algorithm the header names. */
function checkSignature(token: string, key: KeyObject, keySet: KeySet): HmacResult {
  const [h = '', p = ''] = token.split('.');
  const header = decodeJson(h) as Record<string, unknown> | undefined;
  const alg = header?.['alg'];
  if (alg !== 'RS256' && alg !== 'ES256') return verifyHmac(token, key);
  if (keySet.verifiers.size === 0) return { ok: false, reason: 'algorithm' };
  if (!verifyAsymmetric(token, alg, header?.['kid'], keySet)) return { ok: false, reason: 'signature' };
  const payload = decodeJson(p);
  return isObject(payload) ? { ok: true, payload } : { ok: false, reason: 'malformed' };
}

function uncachedVerifier(key: KeyObject, keySet: KeySet): TokenVerifier {
  return async (token) => {
    const parts = token.split('.').length;
    if (parts !== 3) return failure('decode', `Expected 3 parts in JWT; got ${parts}`);
    const checked = checkSignature(token, key, keySet);
    if (!checked.ok) {
      if (checked.reason === 'algorithm') return failure('decode', 'Wrong or unsupported encoding algorithm');
      if (checked.reason === 'signature') return failure('decode', 'JWT cryptographic operation failed');
      return failure('decode', "JWT couldn't be decoded");
    }
    const claims = checked.payload;
    const now = Date.now() / 1000;
    for (const name of ['exp', 'nbf', 'iat'] as const) {
      if (claims[name] !== undefined && typeof claims[name] !== 'number') return failure('claims', `The JWT '${name}' claim must be a number`);
    }
    const { exp, nbf, iat } = claims as { exp?: number; nbf?: number; iat?: number };
    if (exp !== undefined && now > exp + CLOCK_SKEW_SECONDS) return failure('claims', 'JWT expired');
    if (nbf !== undefined && now < nbf - CLOCK_SKEW_SECONDS) return failure('claims', 'JWT not yet valid');
    if (iat !== undefined && now < iat - CLOCK_SKEW_SECONDS) return failure('claims', 'JWT issued at future');
    return { ok: true, claims };
  };
}
