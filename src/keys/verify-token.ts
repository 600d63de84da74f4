// Verifies a bearer token and reports failures with PostgREST v13's categories and
// messages: PGRST301 for a token that cannot be decoded or verified, PGRST303 for claims
// that fail validation. `alg: none` and algorithms other than HMAC are refused.
import { errors, jwtVerify } from 'jose';

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

export function createTokenVerifier(secret: string): TokenVerifier {
  const key = new TextEncoder().encode(secret);
  const verified = new Map<string, Readonly<Record<string, unknown>>>();
  const verify = uncachedVerifier(key);
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

function uncachedVerifier(key: Uint8Array): TokenVerifier {
  return async (token) => {
    const parts = token.split('.').length;
    if (parts !== 3) return failure('decode', `Expected 3 parts in JWT; got ${parts}`);
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['HS256', 'HS384', 'HS512'],
        clockTolerance: CLOCK_SKEW_SECONDS,
      });
      if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + CLOCK_SKEW_SECONDS) {
        return failure('claims', 'JWT issued at future');
      }
      return { ok: true, claims: payload };
    } catch (e) {
      if (e instanceof errors.JWTExpired) return failure('claims', 'JWT expired');
      if (e instanceof errors.JWTClaimValidationFailed) {
        if (e.claim === 'nbf') return failure('claims', 'JWT not yet valid');
        if (e.claim === 'iat') return failure('claims', 'JWT issued at future');
        return failure('claims', 'Parsing claims failed');
      }
      if (e instanceof errors.JOSEAlgNotAllowed) return failure('decode', 'Wrong or unsupported encoding algorithm');
      if (e instanceof errors.JWSSignatureVerificationFailed) return failure('decode', 'JWT cryptographic operation failed');
      return failure('decode', "JWT couldn't be decoded");
    }
  };
}
