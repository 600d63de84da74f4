// Errors raised by the HTTP core itself (before any API family's own logic): tokens, the
// database being away, bodies and routes. Rendered in PostgREST's {code,message,details,hint}
// shape, which postgrest-js and functions-js parse. Codes are stable: PGRST codes where
// PostgREST defines the condition, GWnnn (numbered by HTTP status) where it does not.
import type { DbError } from '../db/errors.ts';
import { apiError, type ApiError } from './api-error.ts';
import { httpStatusForSqlstate } from './sqlstate-http.ts';

function bearerChallenge(message?: string): Record<string, string> {
  const escaped = message?.replaceAll('"', "'");
  return {
    'www-authenticate': escaped === undefined ? 'Bearer' : `Bearer error="invalid_token", error_description="${escaped}"`,
  };
}

export const coreErrors = {
  /** PGRST000: the database cannot be reached; clients may retry. */
  dbUnavailable: (reason: string): ApiError =>
    apiError(503, 'PGRST000', 'Database connection error. Retrying the connection.', { details: reason, headers: { 'retry-after': '1' } }),
  /** PGRST301: a token that cannot be decoded or verified. */
  jwtInvalid: (message: string): ApiError => apiError(401, 'PGRST301', message, { headers: bearerChallenge(message) }),
  /** PGRST303: a verified token whose claims fail validation (expired, not yet valid…). */
  jwtClaims: (message: string): ApiError => apiError(401, 'PGRST303', message, { headers: bearerChallenge(message) }),
  /** A role claim naming no role the server may switch to; PostgREST v13 answers 401 with 22023. */
  unknownRole: (role: string): ApiError =>
    apiError(401, '22023', `role "${role}" does not exist`, { headers: bearerChallenge() }),
  bodyInvalid: (reason: string): ApiError => apiError(400, 'PGRST102', 'Empty or invalid json', { details: reason }),
  /** GW400: the request cannot be read as HTTP; the message names the part (URL, request line, headers, body framing). */
  badUrl: (detail: string): ApiError => apiError(400, 'GW400', 'Malformed request URL', { details: detail }),
  malformedRequest: (part: 'line' | 'headers' | 'body framing', detail: string): ApiError => apiError(400, 'GW400', `Malformed request ${part}`, { details: detail }),
  /** The request (headers, or the whole request with its body) did not arrive in time. */
  requestTimeout: (what: 'headers' | 'request', ms: number): ApiError =>
    apiError(408, 'GW408', `The request ${what === 'headers' ? 'headers' : 'with its body'} did not arrive within ${ms} ms`, {
      hint: `Raise ${what === 'headers' ? 'GROUNDWORK_HEADERS_TIMEOUT_MS' : 'GROUNDWORK_REQUEST_TIMEOUT_MS'} for slower clients`,
    }),
  headersTooLarge: (limit: number): ApiError =>
    apiError(431, 'GW431', 'Request line and headers are too large', { details: `The URL and headers together must fit in ${limit} bytes` }),
  /** GW405: CONNECT (a proxy tunnel), which no route serves. */
  methodNotAllowed: (method: string): ApiError => apiError(405, 'GW405', `The ${method} method is not served here`),
  routeNotFound: (method: string, path: string): ApiError =>
    apiError(404, 'GW404', `No route matches ${method} ${path}`, { hint: 'APIs are served under /rest/v1, /auth/v1 and /health' }),
  bodyTooLarge: (limit: number): ApiError =>
    apiError(413, 'GW413', `Request body is larger than the limit of ${limit} bytes`, { hint: 'Raise GROUNDWORK_BODY_LIMIT to accept larger bodies' }),
  /** GW413 too: a chunked body's chunk extensions over Node's bound, counted apart from the body. */
  chunkExtensionsTooLarge: (): ApiError => apiError(413, 'GW413', 'Request body chunk extensions are too large'),
  unsupportedMediaType: (contentType: string): ApiError =>
    apiError(415, 'GW415', `Content-Type ${contentType} is not supported here`),
  internal: (requestId: string): ApiError =>
    apiError(500, 'GW500', 'Internal server error', { details: `request id ${requestId}; the server log has the cause` }),
  /** Any error PostgreSQL raised, with PostgREST's SQLSTATE → HTTP status. */
  fromDb: (e: DbError, authenticated: boolean): ApiError =>
    apiError(httpStatusForSqlstate(e.sqlstate, { message: e.message, authenticated }), e.sqlstate, e.message, {
      details: e.detail ?? null,
      hint: e.hint ?? null,
      ...(e.sqlstate === '42501' && !authenticated ? { headers: bearerChallenge() } : {}),
    }),
};
