// The Auth document: routes that send an email or an SMS (links, codes, nonces). Unknown
// addresses get the same answer as known ones, so accounts cannot be discovered.
import { jsonBody, jsonResponse, parameterRef, schemaRef, type DocumentedPath, type Operation, type Schema } from '../../../lib/openapi.ts';
import { failures, PUBLIC, USER } from './components.ts';

const tags = ['Emails and codes'];
const captcha: Schema = { type: 'object', properties: { captcha_token: { type: 'string' } } };
const pkce: Record<string, Schema> = { code_challenge: { type: ['string', 'null'] }, code_challenge_method: { type: ['string', 'null'] } };
const otpBody: Schema = {
  type: 'object',
  description: 'An email (magic link and code) or a phone (SMS code).',
  properties: {
    email: { type: 'string' },
    phone: { type: 'string' },
    data: { type: 'object', additionalProperties: true, description: "The new user's user_metadata" },
    create_user: { type: 'boolean', default: true, description: 'false: only existing users get a code (`otp_disabled` otherwise)' },
    channel: { type: 'string', enum: ['sms', 'whatsapp'] },
    gotrue_meta_security: captcha,
    ...pkce,
  },
};

const sent = (operationId: string, summary: string, body: Schema, description?: string): Operation => ({
  operationId,
  tags,
  summary,
  ...(description === undefined ? {} : { description }),
  security: PUBLIC,
  parameters: [parameterRef('redirect_to'), parameterRef('apiVersion')],
  requestBody: jsonBody(body),
  responses: { '200': jsonResponse('Sent (or nothing to send)', schemaRef('MessageSent')), ...failures(400, 422, 429, 500) },
});

export const codePaths: readonly DocumentedPath[] = [
  {
    path: '/recover',
    item: { post: sent('recover', 'Email a password-recovery link and code', { type: 'object', required: ['email'], properties: { email: { type: 'string' }, gotrue_meta_security: captcha, ...pkce } }) },
  },
  { path: '/otp', item: { post: sent('otp', 'Send a magic link or a one-time code', otpBody, 'Creates the user unless `create_user` is false.') } },
  { path: '/magiclink', item: { post: { ...sent('magiclink', 'Send a magic link (legacy form of /otp)', otpBody), deprecated: true } } },
  {
    path: '/resend',
    item: {
      post: sent('resend', 'Send a confirmation again', {
        type: 'object',
        required: ['type'],
        properties: { type: { type: 'string', enum: ['signup', 'email_change', 'sms', 'phone_change'] }, email: { type: 'string' }, phone: { type: 'string' }, gotrue_meta_security: captcha, ...pkce },
      }),
    },
  },
  {
    path: '/reauthenticate',
    item: {
      get: {
        operationId: 'reauthenticate',
        tags,
        summary: 'Send a nonce that a password change may require',
        description: "The nonce goes to the user's email or phone; PUT /user takes it as `nonce`.",
        security: USER,
        parameters: [parameterRef('apiVersion')],
        responses: { '200': jsonResponse('Sent', schemaRef('MessageSent')), ...failures(400, 401, 403, 422, 429, 500) },
      },
    },
  },
];
