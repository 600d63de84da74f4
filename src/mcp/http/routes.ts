// Mounts /mcp. The MCP SDK, the tools and libpg_query load on the first request
// (src/mcp/http/handlers.ts), so a server that is never asked pays nothing at start.
import type { FastifyInstance } from 'fastify';
import type { McpHandlers, McpRouteDeps } from './handlers.ts';

export function registerMcpRoutes(app: FastifyInstance, deps: McpRouteDeps): void {
  let handlers: Promise<McpHandlers> | undefined;
  const loaded = () => (handlers ??= import('./handlers.ts').then((m) => m.createHandlers(deps)));
  app.post('/mcp', async (request, reply) => (await loaded()).post(request, reply));
  app.route({ method: ['GET', 'DELETE'], url: '/mcp', handler: async (request, reply) => (await loaded()).session(request, reply) });
}
