// The admin document: Realtime's HTTP side (src/realtime/http/routes.ts): broadcasts sent
// without a socket. The socket itself is `GET /realtime/v1/websocket` with an upgrade.
import { jsonBody, schemaRef, type DocumentedPath, type Response } from '../../lib/openapi.ts';
import { CLIENT } from './components.ts';

const tags = ['Realtime'];
const refused = (description: string): Response => ({ description, content: { 'application/json': { schema: schemaRef('RealtimeError') } } });
const errors = {
  '401': refused('`RT401`: no key, or an invalid token'),
  '413': refused('`RT413`: a payload over the limit'),
  '422': refused('`RT422`: not a valid body'),
  '429': refused('`RT429`: over the rate limit, or too many messages'),
};

export const realtimePaths: readonly DocumentedPath[] = [
  {
    path: '/realtime/v1/api/broadcast',
    item: {
      post: {
        operationId: 'broadcast',
        tags,
        summary: 'Broadcast messages to channels',
        description: 'A private message whose channel policy refuses the caller is skipped silently, as Supabase does.',
        security: CLIENT,
        requestBody: jsonBody({
          type: 'object',
          required: ['messages'],
          properties: {
            messages: {
              type: 'array',
              maxItems: 1000,
              items: {
                type: 'object',
                required: ['topic', 'event'],
                properties: { topic: { type: 'string', minLength: 1 }, event: { type: 'string' }, payload: {}, private: { type: 'boolean' }, id: { type: 'string' } },
              },
            },
          },
        }),
        responses: { '202': { description: 'Accepted' }, ...errors },
      },
    },
  },
  {
    path: '/realtime/v1/api/broadcast/{topic}/events/{event}',
    item: {
      post: {
        operationId: 'broadcastOne',
        tags,
        summary: 'Broadcast one message (supabase-js httpSend)',
        security: CLIENT,
        parameters: [
          { name: 'topic', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'event', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'private', in: 'query', required: false, schema: { type: 'string', enum: ['true', 'false'] } },
        ],
        requestBody: { required: false, content: { 'application/json': { schema: {} }, 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
        responses: { '202': { description: 'Accepted' }, ...errors },
      },
    },
  },
];
