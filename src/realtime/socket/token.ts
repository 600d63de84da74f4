// A realtime token's check (realtime.md §9.1): verified as REST verifies it, and it must
// carry `role` and `exp`. Failures keep Supabase's wording, which clients show users.
import type { TokenVerifier } from '../../keys/verify-token.ts';

export type TokenCheck =
  | { readonly ok: true; readonly claims: Readonly<Record<string, unknown>>; readonly role: string; readonly exp: number }
  | { readonly ok: false; readonly code: 'InvalidJWTToken' | 'MalformedJWT' | 'JwtSignatureError'; readonly message: string };

function payloadOf(token: string): Record<string, unknown> | undefined {
  const part = token.split('.')[1];
  if (part === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function expiredMessage(exp: number, nowMs: number): string {
  return `Token has expired ${Math.max(0, Math.floor(nowMs / 1000 - exp))} seconds ago`;
}

export async function checkToken(verify: TokenVerifier, token: string, roles: ReadonlySet<string>, nowMs = Date.now()): Promise<TokenCheck> {
  const unverified = payloadOf(token);
  if (unverified === undefined) return { ok: false, code: 'MalformedJWT', message: 'The token provided is not a valid JWT' };
  const exp = unverified['exp'];
  if (typeof unverified['role'] !== 'string' || typeof exp !== 'number') return { ok: false, code: 'InvalidJWTToken', message: 'Fields `role` and `exp` are required in JWT' };
  if (exp * 1000 <= nowMs) return { ok: false, code: 'InvalidJWTToken', message: expiredMessage(exp, nowMs) };
  const result = await verify(token);
  if (!result.ok) return { ok: false, code: result.failure.kind === 'decode' ? 'JwtSignatureError' : 'InvalidJWTToken', message: result.failure.message };
  const role = result.claims['role'];
  if (typeof role !== 'string' || !roles.has(role)) return { ok: false, code: 'InvalidJWTToken', message: `role "${String(role)}" does not exist` };
  return { ok: true, claims: result.claims, role, exp };
}
