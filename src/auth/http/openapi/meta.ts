// The Auth document: routes about the service itself (health, settings, keys, this document).
import { jsonResponse, type DocumentedPath } from '../../../lib/openapi.ts';
import { PUBLIC } from './components.ts';

const tags = ['Service'];

export const metaPaths: readonly DocumentedPath[] = [
  {
    path: '/health',
    item: {
      get: {
        operationId: 'authHealth',
        tags,
        summary: 'Whether Auth answers',
        security: PUBLIC,
        responses: {
          '200': jsonResponse('Up', {
            type: 'object',
            required: ['version', 'name', 'description'],
            properties: { version: { type: 'string' }, name: { const: 'GoTrue' }, description: { type: 'string' } },
          }),
        },
      },
    },
  },
  {
    path: '/settings',
    item: {
      get: {
        operationId: 'authSettings',
        tags,
        summary: 'The sign-in methods this instance offers',
        description: 'Clients read it to show sign-in options. External OAuth providers are all off in Groundwork.',
        security: PUBLIC,
        responses: {
          '200': jsonResponse('The settings', {
            type: 'object',
            required: ['external', 'disable_signup', 'mailer_autoconfirm', 'phone_autoconfirm', 'sms_provider', 'saml_enabled'],
            properties: {
              external: { type: 'object', description: 'Provider name → enabled; `email`, `phone` and `anonymous_users` among them', additionalProperties: { type: 'boolean' } },
              disable_signup: { type: 'boolean' },
              mailer_autoconfirm: { type: 'boolean' },
              phone_autoconfirm: { type: 'boolean' },
              sms_provider: { type: 'string', description: 'The SMS provider (`webhook`, `twilio`), `outbox` when messages stay in the outbox, or empty' },
              saml_enabled: { type: 'boolean' },
              saml_private_key_next_configured: { type: 'boolean' },
              passkeys_enabled: { type: 'boolean' },
            },
          }),
        },
      },
    },
  },
  {
    path: '/.well-known/jwks.json',
    item: {
      get: {
        operationId: 'authJwks',
        tags,
        summary: 'The public keys that verify access tokens',
        description: 'Only asymmetric keys (RS256, ES256, from GROUNDWORK_AUTH_SIGNING_KEYS_PATH) are listed: a server signing with the HS256 secret answers `{"keys": []}`. Cached for 10 minutes.',
        security: PUBLIC,
        responses: {
          '200': jsonResponse(
            'The key set',
            {
              type: 'object',
              required: ['keys'],
              properties: { keys: { type: 'array', items: { type: 'object', required: ['kty'], properties: { kty: { type: 'string' }, kid: { type: 'string' }, alg: { type: 'string' }, use: { type: 'string' } } } } },
            },
            { 'cache-control': { schema: { type: 'string', examples: ['public, max-age=600'] } } },
          ),
        },
      },
    },
  },
  {
    path: '/openapi.json',
    item: {
      get: {
        operationId: 'authOpenApi',
        tags,
        summary: 'This document (OpenAPI 3.1)',
        description: 'Public, like the REST document at /rest/v1/: it describes the API, not its data.',
        security: PUBLIC,
        responses: { '200': jsonResponse('The document', { type: 'object', required: ['openapi', 'paths'] }) },
      },
    },
  },
];
