// The Auth document: signing up and in, the /token grants, /verify and logging out.
import { jsonBody, jsonResponse, parameterRef, queryParam, schemaRef, type DocumentedPath, type Schema } from '../../../lib/openapi.ts';
import { failures, PUBLIC, USER } from './components.ts';

const tags = ['Sign up and sign in'];
const captcha: Schema = { type: 'object', description: 'Accepted for compatibility; Groundwork runs no captcha', properties: { captcha_token: { type: 'string' } } };
const pkce = {
  code_challenge: { type: ['string', 'null'], description: 'PKCE: the challenge of the verifier the client keeps' },
  code_challenge_method: { type: ['string', 'null'], enum: ['s256', 'plain', 'S256', null] },
} as const satisfies Record<string, Schema>;
const channel: Schema = { type: 'string', enum: ['sms', 'whatsapp'], default: 'sms' };
const emailSentLater = '200 with the user (no session) while it waits for confirmation: with GROUNDWORK_AUTH_AUTOCONFIRM off, or for a repeated sign-up, which answers a look-alike user so accounts cannot be discovered.';

const signupBody: Schema = {
  type: 'object',
  description: 'An email or a phone with a password; neither signs in anonymously (GROUNDWORK_AUTH_ANONYMOUS_SIGN_INS).',
  properties: {
    email: { type: 'string', format: 'email' },
    phone: { type: 'string', description: 'E.164' },
    password: { type: 'string' },
    data: { type: 'object', description: 'Becomes user_metadata', additionalProperties: true },
    channel,
    gotrue_meta_security: captcha,
    ...pkce,
  },
};

const grantBody: Schema = {
  oneOf: [
    {
      title: 'grant_type=password',
      type: 'object',
      required: ['password'],
      properties: { email: { type: 'string' }, phone: { type: 'string' }, password: { type: 'string' }, gotrue_meta_security: captcha },
    },
    { title: 'grant_type=refresh_token', type: 'object', required: ['refresh_token'], properties: { refresh_token: { type: 'string' } } },
    { title: 'grant_type=pkce', type: 'object', required: ['auth_code', 'code_verifier'], properties: { auth_code: { type: 'string' }, code_verifier: { type: 'string' } } },
    { title: 'grant_type=id_token (not offered: answers provider_disabled)', type: 'object', properties: { provider: { type: 'string' }, id_token: { type: 'string' } } },
  ],
};

const verifyBody: Schema = {
  type: 'object',
  required: ['type'],
  description: 'A code with the email or phone it was sent to, or the token hash of a link.',
  properties: {
    type: { type: 'string', enum: ['email', 'signup', 'invite', 'magiclink', 'recovery', 'email_change', 'sms', 'phone_change'] },
    email: { type: 'string' },
    phone: { type: 'string' },
    token: { type: 'string', description: 'The 6-digit code' },
    token_hash: { type: 'string', description: "The link's token" },
    gotrue_meta_security: captcha,
  },
};

const halfConfirmed: Schema = {
  type: 'object',
  title: 'One of two email-change links confirmed',
  required: ['msg', 'code'],
  properties: { msg: { type: 'string' }, code: { const: '200' } },
};

export const signInPaths: readonly DocumentedPath[] = [
  {
    path: '/signup',
    item: {
      post: {
        operationId: 'signUp',
        tags,
        summary: 'Sign up (email, phone or anonymous)',
        description: `A session when the user is confirmed at once; ${emailSentLater}`,
        security: PUBLIC,
        parameters: [parameterRef('redirect_to'), parameterRef('apiVersion')],
        requestBody: jsonBody(signupBody),
        responses: { '200': jsonResponse('A session, or the user awaiting confirmation', { oneOf: [schemaRef('Session'), schemaRef('User')] }), ...failures(400, 422, 429, 500) },
      },
    },
  },
  {
    path: '/token',
    item: {
      post: {
        operationId: 'token',
        tags,
        summary: 'Sign in with a password, refresh a session or exchange a PKCE code',
        security: PUBLIC,
        parameters: [queryParam('grant_type', 'The grant', { type: 'string', enum: ['password', 'refresh_token', 'pkce', 'id_token', 'web3'] }, true), parameterRef('apiVersion')],
        requestBody: jsonBody(grantBody),
        responses: { '200': jsonResponse('A session', schemaRef('Session')), ...failures(400, 404, 422, 429, 500) },
      },
    },
  },
  {
    path: '/verify',
    item: {
      post: {
        operationId: 'verifyOtp',
        tags,
        summary: "Verify an emailed or texted code (or a link's token hash)",
        security: PUBLIC,
        parameters: [parameterRef('redirect_to'), parameterRef('apiVersion')],
        requestBody: jsonBody(verifyBody),
        responses: { '200': jsonResponse('A session', { oneOf: [schemaRef('Session'), halfConfirmed] }), ...failures(400, 403, 422, 429, 500) },
      },
      get: {
        operationId: 'verifyLink',
        tags,
        summary: 'Follow an emailed link',
        description: 'Redirects to `redirect_to` with the session in the fragment (implicit flow) or `?code=` (PKCE), or with `error`, `error_code` and `error_description` when the link is spent or expired.',
        security: PUBLIC,
        parameters: [
          queryParam('token', "The link's token hash", { type: 'string' }, true),
          queryParam('type', 'What the link confirms', { type: 'string', enum: ['signup', 'invite', 'magiclink', 'recovery', 'email_change'] }, true),
          parameterRef('redirect_to'),
        ],
        responses: {
          '303': { description: 'To `redirect_to` (or the site URL)', headers: { location: { schema: { type: 'string' } } } },
          ...failures(400, 429, 500),
        },
      },
    },
  },
  {
    path: '/logout',
    item: {
      post: {
        operationId: 'logout',
        tags,
        summary: 'End sessions',
        security: USER,
        parameters: [queryParam('scope', '`global` (every session of the user), `local` (this one) or `others`', { type: 'string', enum: ['global', 'local', 'others'], default: 'global' }), parameterRef('apiVersion')],
        responses: { '204': { description: 'Signed out' }, ...failures(400, 401, 403, 500) },
      },
    },
  },
];
