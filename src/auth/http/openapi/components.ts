// The Auth document's shared parts: the user, session and factor as Supabase Auth answers
// them (src/auth/store/users.ts, factors.ts; auth.md §3), its two error shapes (errors.ts'
// renderAuthError), the credentials it takes, and the parameters many routes share.
import { jsonResponse, nullable, responseRef, schemaRef, type Components, type Ref, type Response, type Schema } from '../../../lib/openapi.ts';

const timestamp: Schema = { type: 'string', format: 'date-time', description: 'RFC 3339, microseconds, UTC' };
const uuid: Schema = { type: 'string', format: 'uuid' };
const metadata: Schema = { type: 'object', additionalProperties: true };

const identity: Schema = {
  type: 'object',
  required: ['identity_id', 'id', 'user_id', 'provider', 'created_at', 'updated_at'],
  properties: {
    identity_id: uuid,
    id: { type: 'string', description: "The provider's id of the user; the user id for email and phone identities" },
    user_id: uuid,
    identity_data: metadata,
    provider: { type: 'string', examples: ['email', 'phone'] },
    last_sign_in_at: nullable(timestamp),
    created_at: timestamp,
    updated_at: timestamp,
    email: nullable({ type: 'string' }),
  },
};

const factor: Schema = {
  type: 'object',
  required: ['id', 'factor_type', 'status', 'created_at', 'updated_at'],
  properties: {
    id: uuid,
    friendly_name: { type: 'string' },
    factor_type: { type: 'string', enum: ['totp', 'phone', 'webauthn'] },
    status: { type: 'string', enum: ['unverified', 'verified'] },
    created_at: timestamp,
    updated_at: timestamp,
    phone: { type: 'string', description: 'Empty for factors other than phone' },
    last_challenged_at: nullable(timestamp),
  },
};

const user: Schema = {
  type: 'object',
  description: 'Optional timestamps and pending changes are left out when unset.',
  required: ['id', 'aud', 'role', 'email', 'phone', 'app_metadata', 'user_metadata', 'identities', 'created_at', 'updated_at', 'is_anonymous'],
  properties: {
    id: uuid,
    aud: { type: 'string', examples: ['authenticated'] },
    role: { type: 'string', examples: ['authenticated'], description: 'Empty in the answer to a repeated sign-up, which does not reveal the account' },
    email: { type: 'string', description: 'Empty when the user has none' },
    email_confirmed_at: timestamp,
    phone: { type: 'string', description: 'Digits without the leading +; empty when none' },
    phone_confirmed_at: timestamp,
    confirmed_at: timestamp,
    confirmation_sent_at: timestamp,
    recovery_sent_at: timestamp,
    new_email: { type: 'string' },
    email_change_sent_at: timestamp,
    new_phone: { type: 'string' },
    phone_change_sent_at: timestamp,
    invited_at: timestamp,
    last_sign_in_at: timestamp,
    banned_until: timestamp,
    app_metadata: { ...metadata, description: '`provider` and `providers`, plus what an admin set' },
    user_metadata: { ...metadata, description: "The sign-up's `data`, merged by PUT /user" },
    identities: nullable({ type: 'array', items: schemaRef('Identity') }),
    factors: { type: 'array', items: schemaRef('Factor'), minItems: 1 },
    created_at: timestamp,
    updated_at: timestamp,
    is_anonymous: { type: 'boolean' },
  },
};

const weakPassword: Schema = {
  type: 'object',
  required: ['reasons'],
  properties: { message: { type: 'string' }, reasons: { type: 'array', items: { type: 'string', enum: ['length', 'characters', 'pwned'] } } },
};

const session: Schema = {
  type: 'object',
  required: ['access_token', 'token_type', 'expires_in', 'expires_at', 'refresh_token', 'user'],
  properties: {
    access_token: { type: 'string', description: 'A JWT: role `authenticated`, the `sub`, `session_id`, `aal` and `amr` claims' },
    token_type: { const: 'bearer' },
    expires_in: { type: 'integer', description: 'Seconds until the access token expires' },
    expires_at: { type: 'integer', description: 'When it expires, in Unix seconds' },
    refresh_token: { type: 'string' },
    user: schemaRef('User'),
    weak_password: { ...weakPassword, type: ['object', 'null'], description: 'Password sign-ins: the password no longer meets the policy' },
  },
};

const errorLegacy: Schema = {
  type: 'object',
  title: 'Legacy error (no X-Supabase-Api-Version)',
  required: ['code', 'error_code', 'msg'],
  properties: {
    code: { type: 'integer', description: 'The HTTP status' },
    error_code: { type: 'string', examples: ['invalid_credentials', 'validation_failed', 'over_request_rate_limit'] },
    msg: { type: 'string' },
    weak_password: weakPassword,
  },
};

const error2024: Schema = {
  type: 'object',
  title: 'Error with X-Supabase-Api-Version: 2024-01-01 (what supabase-js sends)',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', examples: ['invalid_credentials', 'validation_failed', 'over_request_rate_limit'] },
    message: { type: 'string' },
    weak_password: weakPassword,
  },
};

const errorResponse = (description: string): Response =>
  jsonResponse(description, schemaRef('AuthError'), {
    'x-sb-error-code': { description: 'The error code (left out for weak_password in the 2024 shape)', schema: { type: 'string' } },
  });

export const authComponents: Components = {
  schemas: {
    User: user,
    Identity: identity,
    Factor: factor,
    Session: session,
    WeakPassword: weakPassword,
    AuthError: { description: "Supabase Auth's error body; X-Supabase-Api-Version picks the shape", oneOf: [error2024, errorLegacy] },
    Empty: { type: 'object', maxProperties: 0 },
    MessageSent: {
      type: 'object',
      description: '`{}` for email; SMS answers the id of the queued message',
      properties: { message_id: { type: 'string' } },
      additionalProperties: false,
    },
  },
  responses: {
    BadRequest: errorResponse('Invalid input (`validation_failed`, `bad_json`, …) or credentials'),
    Unauthorized: errorResponse('No bearer token (`no_authorization`)'),
    Forbidden: errorResponse('A token that is invalid, expired or not allowed here (`bad_jwt`, `not_admin`, `user_not_found`, …)'),
    NotFound: errorResponse('Not found'),
    Unprocessable: errorResponse('Refused by a rule (`user_already_exists`, `weak_password`, `signup_disabled`, …)'),
    TooManyRequests: errorResponse('A rate limit (`over_request_rate_limit`, `over_email_send_rate_limit`, `over_sms_send_rate_limit`)'),
    Unexpected: errorResponse('`unexpected_failure`: details are in the server log, never in the answer'),
  },
  parameters: {
    redirect_to: { name: 'redirect_to', in: 'query', required: false, description: 'Where links in the email lead (must be allowed by GROUNDWORK_AUTH_REDIRECT_URLS; else the site URL)', schema: { type: 'string' } },
    apiVersion: {
      name: 'X-Supabase-Api-Version',
      in: 'header',
      required: false,
      description: '`2024-01-01` (or a later date) answers errors as `{code, message}`; without it, the legacy `{code, error_code, msg}`',
      schema: { type: 'string', examples: ['2024-01-01'] },
    },
  },
  securitySchemes: {
    apikey: {
      type: 'apiKey',
      in: 'header',
      name: 'apikey',
      description: "The project's anon (or service_role) key. supabase-js sends it on every request; Groundwork's Auth, like GoTrue, does not require it.",
    },
    bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "A user's access token (from a session)." },
    serviceRole: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A token whose role is `service_role`: the service_role key (`groundwork keys`). Never ship it to browsers.' },
  },
};

/** Public routes: no credentials needed; supabase-js still sends its apikey. */
export const PUBLIC = [{}, { apikey: [] }] as const;
/** A user's access token. */
export const USER = [{ bearer: [] }] as const;
/** The admin API. */
export const ADMIN = [{ serviceRole: [] }] as const;

const FAILURES = { 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 422: 'Unprocessable', 429: 'TooManyRequests', 500: 'Unexpected' } as const;

/** The error responses an operation can give, by status. */
export function failures(...statuses: readonly (keyof typeof FAILURES)[]): Record<string, Ref> {
  return Object.fromEntries(statuses.map((s) => [String(s), responseRef(FAILURES[s])]));
}
