// The `verify_jwt` check, before any function code runs: Supabase's self-hosted algorithm
// (mcp-types-functions.md §C5) over the same key set REST and Auth use. OPTIONS passes (a
// browser's preflight carries no token).
import type { ApiError } from '../../errors/api-error.ts';
import type { TokenVerifier } from '../../keys/verify-token.ts';
import { functionsErrors } from '../errors.ts';

function algorithmOf(token: string): unknown {
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as unknown;
    return typeof header === 'object' && header !== null ? (header as Record<string, unknown>)['alg'] : undefined;
  } catch {
    return undefined;
  }
}

/** Undefined when the request may go on; otherwise the 401 to answer. */
export async function checkJwt(method: string, authorization: string | undefined, verify: TokenVerifier): Promise<ApiError | undefined> {
  if (method === 'OPTIONS') return undefined;
  if (authorization === undefined || authorization === '') return functionsErrors.noAuthHeader();
  const m = /^Bearer ([^\s]+)$/.exec(authorization);
  if (m === null) return functionsErrors.badAuthFormat();
  const token = m[1] as string;
  const alg = algorithmOf(token);
  if (alg === undefined) return functionsErrors.badAuthFormat();
  if (alg !== 'HS256' && alg !== 'RS256' && alg !== 'ES256') return functionsErrors.unsupportedAlgorithm();
  const result = await verify(token);
  if (result.ok) return undefined;
  return alg === 'HS256' ? functionsErrors.legacyJwt(result.failure.message) : functionsErrors.asymmetricJwt(result.failure.message);
}
