// The admin document: the reference page and the documents it shows (src/docs/routes.ts).
// All public: they describe the APIs, not their data (the REST copy is served as REST
// serves its own document to the same credentials).
import { jsonResponse, pathParam, type DocumentedPath } from '../../lib/openapi.ts';
import { PUBLIC } from './components.ts';

const tags = ['Documentation'];
const document = jsonResponse('The document', { type: 'object' });

export const docsPaths: readonly DocumentedPath[] = [
  {
    path: '/docs',
    item: {
      get: {
        operationId: 'docsPage',
        tags,
        summary: 'The API reference page (Swagger UI, served from this server: no CDN)',
        security: PUBLIC,
        responses: { '200': { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } } },
      },
    },
  },
  {
    path: '/docs/assets/{file}',
    item: {
      get: {
        operationId: 'docsAsset',
        tags,
        summary: "The page's scripts, styles and icons",
        security: PUBLIC,
        parameters: [pathParam('file', 'An asset the page names')],
        responses: { '200': { description: 'The file' }, '404': { description: 'No such asset' }, '503': { description: 'Swagger UI is not installed beside Groundwork' } },
      },
    },
  },
  {
    path: '/openapi/admin.json',
    item: { get: { operationId: 'adminOpenApi', tags, summary: 'This document (OpenAPI 3.1): the operations this server serves', security: PUBLIC, responses: { '200': document } } },
  },
  {
    path: '/openapi/rest.json',
    item: {
      get: {
        operationId: 'restOpenApi',
        tags,
        summary: "The REST document (GET /rest/v1/), browsable: base path /rest/v1, the project's keys as security",
        description: 'Answers with the credentials given, as REST does: the anonymous role when there are none. REST errors (a bad key: 401) pass through.',
        security: [{}, { apikey: [] }, { bearer: [] }],
        parameters: [{ name: 'Accept-Profile', in: 'header', required: false, description: 'The schema to describe (one of the exposed ones)', schema: { type: 'string' } }],
        responses: { '200': jsonResponse('The Swagger 2.0 document of the schema', { type: 'object', required: ['swagger', 'paths'] }), '401': { description: "A bad key or token (REST's error)" } },
      },
    },
  },
];
