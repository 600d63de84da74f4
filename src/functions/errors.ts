// The functions family's error catalogue. The codes are the ones Supabase's gateway and
// Edge Runtime put in `sb-error-code` (mcp-types-functions.md §C8), so clients that branch
// on them work unchanged. Errors the runtime raised because the function could not answer
// (boot failure, crash, limits, timeout) also carry `x-relay-error: true`, which supabase-js
// reports as FunctionsRelayError; the function's own non-2xx answers stay FunctionsHttpError.
import { apiError, type ApiError } from '../errors/api-error.ts';

function gateway(status: number, code: string, message: string, relay = false): ApiError {
  return apiError(status, code, message, { headers: { 'sb-error-code': code, ...(relay ? { 'x-relay-error': 'true' } : {}) } });
}

export const functionsErrors = {
  missingName: (): ApiError => gateway(400, 'INVALID_URL', 'missing function name in request'),
  badName: (name: string): ApiError => gateway(400, 'INVALID_URL', `invalid function name ${JSON.stringify(name.slice(0, 100))}: use letters, digits, '-' and '_'`),
  notFound: (): ApiError => gateway(404, 'NOT_FOUND', 'Requested function was not found'),
  methodNotAllowed: (method: string): ApiError => gateway(405, 'METHOD_NOT_ALLOWED', `method ${method} is not allowed for functions`),
  noAuthHeader: (): ApiError => gateway(401, 'UNAUTHORIZED_NO_AUTH_HEADER', 'Missing authorization header'),
  badAuthFormat: (): ApiError => gateway(401, 'UNAUTHORIZED_INVALID_JWT_FORMAT', "Auth header is not 'Bearer {token}'"),
  legacyJwt: (reason: string): ApiError => gateway(401, 'UNAUTHORIZED_LEGACY_JWT', `Invalid JWT: ${reason}`),
  asymmetricJwt: (reason: string): ApiError => gateway(401, 'UNAUTHORIZED_ASYMMETRIC_JWT', `Invalid JWT: ${reason}`),
  unsupportedAlgorithm: (): ApiError => gateway(401, 'UNAUTHORIZED_UNSUPPORTED_TOKEN_ALGORITHM', 'Invalid JWT: unsupported token algorithm'),
  bootError: (): ApiError => gateway(503, 'BOOT_ERROR', 'Function failed to start (please check logs)', true),
  workerError: (): ApiError => gateway(500, 'WORKER_ERROR', 'Function exited due to an error (please check logs)', true),
  resourceLimit: (what: string): ApiError => gateway(546, 'WORKER_LIMIT', `Function was stopped: it exceeded its ${what} limit`, true),
  busy: (): ApiError => gateway(546, 'WORKER_LIMIT', 'Too many function workers are busy; try again', true),
  timeout: (ms: number): ApiError => gateway(504, 'IDLE_TIMEOUT', `Function did not answer within ${ms} ms`, true),
  runtimeMissing: (detail: string): ApiError => gateway(503, 'BOOT_ERROR', `The Deno runtime is not available: ${detail}`, true),
};
