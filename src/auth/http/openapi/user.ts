// The Auth document: the signed-in user (GET/PUT /user) and their MFA factors (TOTP).
import { jsonBody, jsonResponse, parameterRef, pathParam, schemaRef, type DocumentedPath, type Parameter } from '../../../lib/openapi.ts';
import { failures, USER } from './components.ts';

const userTags = ['User'];
const mfaTags = ['MFA'];
const factorId: Parameter = pathParam('id', 'The factor', { type: 'string', format: 'uuid' });

export const userPaths: readonly DocumentedPath[] = [
  {
    path: '/user',
    item: {
      get: {
        operationId: 'getUser',
        tags: userTags,
        summary: 'The user of the access token',
        security: USER,
        parameters: [parameterRef('apiVersion')],
        responses: { '200': jsonResponse('The user, with identities and factors', schemaRef('User')), ...failures(401, 403, 500) },
      },
      put: {
        operationId: 'updateUser',
        tags: userTags,
        summary: 'Change the password, email, phone or metadata',
        description:
          'A new email or phone is confirmed by a link or code first (unless autoconfirmed); a user with a verified factor needs an aal2 session to change the password, email or phone. `data` is merged into user_metadata (a null value removes a key).',
        security: USER,
        parameters: [parameterRef('redirect_to'), parameterRef('apiVersion')],
        requestBody: jsonBody({
          type: 'object',
          properties: {
            email: { type: 'string' },
            phone: { type: 'string' },
            password: { type: 'string' },
            nonce: { type: 'string', description: 'From GET /reauthenticate, when the password change requires it' },
            data: { type: 'object', additionalProperties: true },
            channel: { type: 'string', enum: ['sms', 'whatsapp'] },
            code_challenge: { type: ['string', 'null'] },
            code_challenge_method: { type: ['string', 'null'] },
          },
        }),
        responses: { '200': jsonResponse('The updated user', schemaRef('User')), ...failures(400, 401, 403, 422, 429, 500) },
      },
    },
  },
  {
    path: '/factors',
    item: {
      post: {
        operationId: 'enrollFactor',
        tags: mfaTags,
        summary: 'Enrol a TOTP factor',
        description: 'Phone and WebAuthn factors answer `mfa_phone_enroll_not_enabled` / `mfa_webauthn_enroll_not_enabled`. Anonymous users may not enrol.',
        security: USER,
        parameters: [parameterRef('apiVersion')],
        requestBody: jsonBody({
          type: 'object',
          required: ['factor_type'],
          properties: { factor_type: { type: 'string', enum: ['totp', 'phone', 'webauthn'] }, friendly_name: { type: 'string' }, issuer: { type: 'string' } },
        }),
        responses: {
          '200': jsonResponse('The new, unverified factor and its secret', {
            type: 'object',
            required: ['id', 'type', 'totp'],
            properties: {
              id: { type: 'string', format: 'uuid' },
              type: { const: 'totp' },
              friendly_name: { type: 'string' },
              totp: {
                type: 'object',
                required: ['qr_code', 'secret', 'uri'],
                properties: { qr_code: { type: 'string', description: 'An SVG image of the URI' }, secret: { type: 'string', description: 'Base32' }, uri: { type: 'string', description: 'otpauth://totp/…' } },
              },
            },
          }),
          ...failures(400, 401, 403, 422, 500),
        },
      },
    },
  },
  {
    path: '/factors/{id}/challenge',
    item: {
      post: {
        operationId: 'challengeFactor',
        tags: mfaTags,
        summary: 'Open a challenge on a factor',
        security: USER,
        parameters: [factorId, parameterRef('apiVersion')],
        requestBody: jsonBody({ type: 'object', properties: { channel: { type: 'string' } } }, false),
        responses: {
          '200': jsonResponse('The challenge (valid for 300 seconds, from this client address only)', {
            type: 'object',
            required: ['id', 'type', 'expires_at'],
            properties: { id: { type: 'string', format: 'uuid' }, type: { type: 'string' }, expires_at: { type: 'integer', description: 'Unix seconds' } },
          }),
          ...failures(401, 403, 404, 422, 429, 500),
        },
      },
    },
  },
  {
    path: '/factors/{id}/verify',
    item: {
      post: {
        operationId: 'verifyFactor',
        tags: mfaTags,
        summary: 'Answer a challenge: the session becomes aal2',
        security: USER,
        parameters: [factorId, parameterRef('apiVersion')],
        requestBody: jsonBody({ type: 'object', required: ['challenge_id', 'code'], properties: { challenge_id: { type: 'string', format: 'uuid' }, code: { type: 'string', description: '6 digits' } } }),
        responses: { '200': jsonResponse('A new session at aal2', schemaRef('Session')), ...failures(400, 401, 403, 404, 422, 429, 500) },
      },
    },
  },
  {
    path: '/factors/{id}',
    item: {
      delete: {
        operationId: 'unenrollFactor',
        tags: mfaTags,
        summary: 'Remove a factor (a verified one needs an aal2 session)',
        security: USER,
        parameters: [factorId, parameterRef('apiVersion')],
        responses: { '200': jsonResponse('Removed', { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } }), ...failures(401, 403, 404, 422, 500) },
      },
    },
  },
];
