// The admin document's shared parts: Groundwork's error body (src/errors/api-error.ts), the
// credentials operator endpoints take, and the error responses they share.
import { jsonResponse, responseRef, schemaRef, type Components, type Ref, type Response } from '../../lib/openapi.ts';

const apiErrorResponse = (description: string, extra?: Response['headers']): Response => jsonResponse(description, schemaRef('ApiError'), extra);

export const adminComponents: Components = {
  schemas: {
    ApiError: {
      type: 'object',
      description: "Groundwork's error body (PostgREST's shape): a stable `code`, never a stack trace",
      required: ['code', 'message', 'details', 'hint'],
      properties: {
        code: { type: 'string', examples: ['JOB403', 'GW404', 'PGRST000'] },
        message: { type: 'string' },
        details: { type: ['string', 'array', 'null'] },
        hint: { type: ['string', 'null'] },
      },
    },
    RealtimeError: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string', examples: ['RT401', 'RT422'] }, message: { type: 'string' } } },
  },
  responses: {
    BadRequest: apiErrorResponse('Invalid input'),
    Forbidden: apiErrorResponse('Not the service_role (`JOB403`), or an invalid token (`PGRST301`, 401)'),
    NotFound: apiErrorResponse('Not found'),
    Unavailable: apiErrorResponse('The database does not answer (`PGRST000`)', { 'retry-after': { schema: { type: 'string' } } }),
  },
  securitySchemes: {
    apikey: { type: 'apiKey', in: 'header', name: 'apikey', description: "A project key (anon or service_role), as supabase-js sends it. `Authorization: Bearer` wins when both are given." },
    bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "A JWT: a project key or a user's access token." },
    serviceRoleKey: { type: 'apiKey', in: 'header', name: 'apikey', description: 'The service_role key (`groundwork keys`) in `apikey`. Never ship it to browsers.' },
    serviceRole: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A token whose role is `service_role`, e.g. the service_role key.' },
    metricsToken: { type: 'http', scheme: 'bearer', description: 'GROUNDWORK_METRICS_TOKEN: for a Prometheus scraper that should not hold the service_role key.' },
  },
};

const FAILURES = { 400: 'BadRequest', 403: 'Forbidden', 404: 'NotFound', 503: 'Unavailable' } as const;

/** The error responses an operation can give, by status. */
export function failures(...statuses: readonly (keyof typeof FAILURES)[]): Record<string, Ref> {
  return Object.fromEntries(statuses.map((s) => [String(s), responseRef(FAILURES[s])]));
}

/** No credentials needed. */
export const PUBLIC = [{}] as const;
/** The service_role, in `Authorization: Bearer` or in `apikey`. */
export const SERVICE_ROLE = [{ serviceRole: [] }, { serviceRoleKey: [] }] as const;
/** A user's access token (or another JWT) in `Authorization: Bearer`. */
export const BEARER = [{ bearer: [] }] as const;
/** Any project key or user token (what supabase-js sends). */
export const CLIENT = [{ bearer: [] }, { apikey: [] }] as const;
