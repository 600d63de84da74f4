// The admin document: the operator's endpoints at the root: health for load balancers,
// Prometheus metrics (GROUNDWORK_METRICS) and the MCP server for AI agents (GROUNDWORK_MCP).
import { jsonBody, jsonResponse, queryParam, schemaRef, type DocumentedPath, type Header, type Parameter, type Response, type Schema } from '../../lib/openapi.ts';
import { BEARER, failures, PUBLIC, SERVICE_ROLE } from './components.ts';

const tags = ['Operations'];
const refused = (description: string): Response => jsonResponse(description, schemaRef('ApiError'));

const jsonRpc: Schema = {
  type: 'object',
  required: ['jsonrpc'],
  description: 'JSON-RPC 2.0: `initialize`, `tools/list`, `tools/call`, …',
  properties: { jsonrpc: { const: '2.0' }, id: { type: ['string', 'integer'] }, method: { type: 'string' }, params: { type: 'object' } },
};
const session: Parameter = { name: 'Mcp-Session-Id', in: 'header', required: false, description: 'The session `initialize` opened (absent: one request served on its own)', schema: { type: 'string' } };
const sessionHeader: Header = { description: 'Answering `initialize`: the new session', schema: { type: 'string' } };
/** The service_role key opens an operator session; a signed-in user's token, one under RLS (GROUNDWORK_MCP_USERS). */
const MCP_SECURITY = [...SERVICE_ROLE, ...BEARER];
const mcpErrors = {
  '401': refused('`MCP_UNAUTHORIZED`: no credentials or an invalid token (with `WWW-Authenticate`)'),
  '403': refused("`MCP_FORBIDDEN`: the anon key, per-user sessions turned off, or another caller's session"),
  '404': refused('`MCP_SESSION_NOT_FOUND`: the session ended or expired'),
};
const needsSession = refused('`MCP_METHOD_NOT_ALLOWED`: without `Mcp-Session-Id`');

export const platformPaths: readonly DocumentedPath[] = [
  {
    path: '/health',
    item: {
      get: {
        operationId: 'health',
        tags,
        summary: 'Whether the server and its database answer',
        description: 'A real round trip to the database, answered within a second either way. On the embedded database a long transaction makes it answer `busy` at once rather than wait.',
        security: PUBLIC,
        responses: {
          '200': jsonResponse('Up (or busy)', {
            type: 'object',
            required: ['status', 'database', 'schema_cache'],
            properties: {
              status: { const: 'ok' },
              database: {
                type: 'object',
                required: ['status', 'mode'],
                properties: {
                  status: { type: 'string', enum: ['up', 'busy'] },
                  mode: { type: 'string', enum: ['embedded', 'server'] },
                  latency_ms: { type: 'number' },
                  busy_ms: { type: 'number' },
                  waiting: { type: 'integer' },
                },
              },
              schema_cache: { type: 'object', required: ['loaded_at'], properties: { loaded_at: { type: 'string' } } },
            },
          }),
          ...failures(503),
        },
      },
    },
  },
  {
    path: '/metrics',
    item: {
      get: {
        operationId: 'metrics',
        tags,
        summary: 'Prometheus metrics of this node',
        description: 'The text exposition format: requests per API family, database pool, Realtime, functions, webhooks, queues, cron, outbox lag, the process.',
        security: [...SERVICE_ROLE, { metricsToken: [] }],
        responses: {
          '200': { description: 'The metrics', content: { 'text/plain': { schema: { type: 'string' } } } },
          '401': refused('`OBS401`: neither the service_role key nor the metrics token'),
        },
      },
    },
  },
  {
    path: '/mcp',
    item: {
      post: {
        operationId: 'mcp',
        tags,
        summary: 'Model Context Protocol (Streamable HTTP)',
        description: 'For AI agents: tools over the project (its schema, SQL, migrations, logs, functions…). `initialize` opens a session; a request without one is answered on its own (stateless clients).',
        security: MCP_SECURITY,
        parameters: [
          session,
          queryParam('read_only', 'The session may not change anything (GROUNDWORK_MCP_READ_ONLY forces it)', { type: 'string', enum: ['true', 'false'] }),
          queryParam('features', 'Tool groups, comma-separated (default: all)', { type: 'string', examples: ['docs,database,debugging,development,functions'] }),
        ],
        requestBody: jsonBody({ oneOf: [jsonRpc, { type: 'array', items: jsonRpc }] }),
        responses: {
          '200': {
            description: 'The JSON-RPC answer, as JSON or an event stream',
            headers: { 'mcp-session-id': sessionHeader },
            content: { 'application/json': { schema: { oneOf: [jsonRpc, { type: 'array', items: jsonRpc }] } }, 'text/event-stream': { schema: { type: 'string' } } },
          },
          '202': { description: 'Notifications or answers accepted: nothing to send back' },
          '400': refused('`MCP_BAD_OPTION`: a bad `read_only` or `features`'),
          ...mcpErrors,
          '503': refused('`MCP_TOO_MANY_SESSIONS`: this node holds GROUNDWORK_MCP_MAX_SESSIONS already'),
        },
      },
      get: {
        operationId: 'mcpStream',
        tags,
        summary: "A session's server-sent event stream",
        security: MCP_SECURITY,
        parameters: [session],
        responses: { '200': { description: 'The stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, ...mcpErrors, '405': needsSession },
      },
      delete: {
        operationId: 'mcpEndSession',
        tags,
        summary: 'End a session',
        security: MCP_SECURITY,
        parameters: [session],
        responses: { '200': { description: 'Ended' }, ...mcpErrors, '405': needsSession },
      },
    },
  },
];
