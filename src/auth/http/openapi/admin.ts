// The Auth document: the admin API (service_role only): users, invitations, generated
// links, MFA factors of any user, and Groundwork's outbox listing for local development.
import { jsonBody, jsonResponse, parameterRef, pathParam, queryParam, schemaRef, type DocumentedPath, type Parameter, type Schema } from '../../../lib/openapi.ts';
import { ADMIN, failures } from './components.ts';

const tags = ['Admin'];
const userId: Parameter = pathParam('id', 'The user', { type: 'string', format: 'uuid' });
const factorId: Parameter = pathParam('factor', 'The factor', { type: 'string', format: 'uuid' });
const common = { tags, security: ADMIN } as const;

const userAttributes: Schema = {
  type: 'object',
  properties: {
    email: { type: 'string' },
    phone: { type: 'string' },
    password: { type: 'string', description: 'Create: none sets a random one. Update: checked against the password policy and signs the user out everywhere' },
    email_confirm: { type: 'boolean' },
    phone_confirm: { type: 'boolean' },
    user_metadata: { type: 'object', additionalProperties: true },
    app_metadata: { type: 'object', additionalProperties: true },
    ban_duration: { type: 'string', description: 'A Go duration (`24h`, `1h30m`) or `none` to lift a ban' },
  },
};

const outboxMessage: Schema = {
  type: 'object',
  required: ['id', 'channel', 'to', 'kind', 'created_at', 'status', 'attempts'],
  properties: {
    id: { type: 'integer' },
    channel: { type: 'string', enum: ['email', 'sms'] },
    to: { type: 'string' },
    subject: { type: ['string', 'null'] },
    body: { type: 'string', description: 'The rendered message, with its links and codes' },
    kind: { type: 'string', examples: ['confirmation', 'recovery', 'magic_link', 'invite', 'email_change', 'reauthentication'] },
    created_at: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'retrying', 'sent', 'failed', 'expired'] },
    sent_at: { type: ['string', 'null'] },
    attempts: { type: 'integer' },
    last_error: { type: ['string', 'null'] },
    next_attempt_at: { type: ['string', 'null'] },
  },
};

const generatedLink: Schema = {
  description: "The user's fields, flattened, with the link and its parts. No email is sent.",
  allOf: [
    schemaRef('User'),
    {
      type: 'object',
      required: ['action_link', 'email_otp', 'hashed_token', 'verification_type', 'redirect_to'],
      properties: { action_link: { type: 'string' }, email_otp: { type: 'string' }, hashed_token: { type: 'string' }, verification_type: { type: 'string' }, redirect_to: { type: 'string' } },
    },
  ],
};

export const adminPaths: readonly DocumentedPath[] = [
  {
    path: '/invite',
    item: {
      post: {
        ...common,
        operationId: 'inviteUser',
        summary: 'Invite a user by email',
        parameters: [parameterRef('redirect_to'), parameterRef('apiVersion')],
        requestBody: jsonBody({ type: 'object', required: ['email'], properties: { email: { type: 'string' }, data: { type: 'object', additionalProperties: true } } }),
        responses: { '200': jsonResponse('The invited user', schemaRef('User')), ...failures(400, 401, 403, 422, 429, 500) },
      },
    },
  },
  {
    path: '/admin/generate_link',
    item: {
      post: {
        ...common,
        operationId: 'generateLink',
        summary: 'Make a sign-up, invite, magic link, recovery or email-change link without sending it',
        parameters: [parameterRef('redirect_to'), parameterRef('apiVersion')],
        requestBody: jsonBody({
          type: 'object',
          required: ['type', 'email'],
          properties: {
            type: { type: 'string', enum: ['signup', 'invite', 'magiclink', 'recovery', 'email_change_current', 'email_change_new'] },
            email: { type: 'string' },
            password: { type: 'string', description: '`signup` only' },
            new_email: { type: 'string', description: '`email_change_*` only' },
            data: { type: 'object', additionalProperties: true },
            redirect_to: { type: 'string' },
          },
        }),
        responses: { '200': jsonResponse('The link', generatedLink), ...failures(400, 401, 403, 404, 422, 500) },
      },
    },
  },
  {
    path: '/admin/outbox',
    item: {
      get: {
        ...common,
        operationId: 'listOutbox',
        summary: 'The newest emails and SMS with their delivery state (Groundwork)',
        description: 'For reading links and codes locally: without SMTP or an SMS provider nothing leaves the outbox.',
        parameters: [queryParam('limit', 'How many (1–500)', { type: 'integer', minimum: 1, maximum: 500, default: 50 }), parameterRef('apiVersion')],
        responses: {
          '200': jsonResponse('Newest first', { type: 'object', required: ['messages'], properties: { messages: { type: 'array', items: outboxMessage } } }),
          ...failures(401, 403, 500),
        },
      },
    },
  },
  {
    path: '/admin/users',
    item: {
      get: {
        ...common,
        operationId: 'listUsers',
        summary: 'List users, a page at a time',
        parameters: [
          queryParam('page', 'From 1', { type: 'string', pattern: '^\\d*$', default: '1' }),
          queryParam('per_page', 'Users per page', { type: 'string', pattern: '^\\d*$', default: '50' }),
          parameterRef('apiVersion'),
        ],
        responses: {
          '200': jsonResponse(
            'A page of users',
            { type: 'object', required: ['users', 'aud'], properties: { users: { type: 'array', items: schemaRef('User') }, aud: { type: 'string' } } },
            {
              'x-total-count': { description: 'Users in all', schema: { type: 'string' } },
              link: { description: 'The `next` (when there is one) and `last` pages, as GoTrue writes them', schema: { type: 'string' } },
            },
          ),
          ...failures(400, 401, 403, 500),
        },
      },
      post: {
        ...common,
        operationId: 'createUser',
        summary: 'Create a user (no email sent, sign-ups need not be on)',
        parameters: [parameterRef('apiVersion')],
        requestBody: jsonBody(userAttributes),
        responses: { '200': jsonResponse('The new user', schemaRef('User')), ...failures(400, 401, 403, 422, 500) },
      },
    },
  },
  {
    path: '/admin/users/{id}',
    item: {
      get: {
        ...common,
        operationId: 'getUserById',
        summary: 'One user',
        parameters: [userId, parameterRef('apiVersion')],
        responses: { '200': jsonResponse('The user', schemaRef('User')), ...failures(401, 403, 404, 500) },
      },
      put: {
        ...common,
        operationId: 'updateUserById',
        summary: 'Change a user (applied at once, without confirmation)',
        parameters: [userId, parameterRef('apiVersion')],
        requestBody: jsonBody(userAttributes),
        responses: { '200': jsonResponse('The user', schemaRef('User')), ...failures(400, 401, 403, 404, 422, 500) },
      },
      delete: {
        ...common,
        operationId: 'deleteUser',
        summary: 'Delete a user',
        parameters: [userId, parameterRef('apiVersion')],
        requestBody: jsonBody({ type: 'object', properties: { should_soft_delete: { type: 'boolean', default: false, description: 'Keep the row, obfuscated' } } }, false),
        responses: { '200': jsonResponse('Deleted', schemaRef('Empty')), ...failures(401, 403, 404, 500) },
      },
    },
  },
  {
    path: '/admin/users/{id}/factors',
    item: {
      get: {
        ...common,
        operationId: 'listFactors',
        summary: "A user's MFA factors",
        parameters: [userId, parameterRef('apiVersion')],
        responses: { '200': jsonResponse('Every factor (`[]` when none)', { type: 'array', items: schemaRef('Factor') }), ...failures(401, 403, 404, 500) },
      },
    },
  },
  {
    path: '/admin/users/{id}/factors/{factor}',
    item: {
      put: {
        ...common,
        operationId: 'updateFactor',
        summary: "Rename a user's factor",
        parameters: [userId, factorId, parameterRef('apiVersion')],
        requestBody: jsonBody({ type: 'object', properties: { friendly_name: { type: 'string' } } }),
        responses: { '200': jsonResponse('The factor', schemaRef('Factor')), ...failures(400, 401, 403, 404, 422, 500) },
      },
      delete: {
        ...common,
        operationId: 'deleteFactor',
        summary: "Remove a user's factor (its sessions fall back to aal1)",
        parameters: [userId, factorId, parameterRef('apiVersion')],
        responses: { '200': jsonResponse('The removed factor', schemaRef('Factor')), ...failures(401, 403, 404, 500) },
      },
    },
  },
];
