// What /mcp does (loaded on its first request, with the MCP SDK and the tools): the MCP
// server over Streamable HTTP (MCP 2025-11-25), the way clients configured for Supabase's
// server reach it. POST carries JSON-RPC; an `initialize` without a session
// starts one (its id comes back in `Mcp-Session-Id`); later POSTs, the GET event stream and
// DELETE name it. A POST without a session that is not an `initialize` is served on its own
// (a stateless client, like Supabase Studio's). Credentials are checked on every request.
import { randomUUID } from 'node:crypto';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors/api-error.ts';
import { mcpErrors } from '../errors.ts';
import { identify, type Identified, type PrincipalDeps } from '../gateway/principal.ts';
import { parseOptions } from '../parse/options.ts';
import { buildMcpServer } from '../server.ts';
import { allTools } from '../tools/catalogue.ts';
import type { McpDeps } from '../tools/deps.ts';
import type { Sessions } from './sessions.ts';

export interface McpRouteDeps extends PrincipalDeps {
  readonly tools: McpDeps;
  readonly sessions: Sessions;
  readonly forcedReadOnly: boolean;
  readonly version: string;
}

/** Hands the response to the transport, keeping the headers our hooks set (request id, CORS, security). */
function hijack(reply: FastifyReply): FastifyReply['raw'] {
  for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(name, value);
  reply.hijack();
  return reply.raw;
}

export interface McpHandlers {
  post(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** GET (the session's event stream) and DELETE (ends it). */
  session(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

export function createHandlers(deps: McpRouteDeps): McpHandlers {
  const tools = allTools(deps.tools);
  const who = async (request: FastifyRequest): Promise<Identified> => {
    const found = await identify(request.headers, deps);
    if (found instanceof ApiError) throw found;
    return found;
  };
  const sessionOf = (request: FastifyRequest, owner: string) => {
    const id = request.headers['mcp-session-id'];
    if (typeof id !== 'string') return undefined;
    const session = deps.sessions.get(id);
    if (session === undefined) throw mcpErrors.sessionNotFound();
    if (session.owner !== owner) throw mcpErrors.notYourSession();
    return session;
  };

  const post = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const { principal, owner } = await who(request);
    const session = sessionOf(request, owner);
    if (session !== undefined) return session.transport.handleRequest(request.raw, hijack(reply), request.body);
    const options = parseOptions(request.query as Record<string, unknown>, deps.forcedReadOnly);
    if ('problem' in options) throw mcpErrors.badOption(options.problem.name, options.problem.message);
    const server = buildMcpServer(tools, { principal, ...options }, deps.version);
    if (isInitializeRequest(request.body)) {
      if (deps.sessions.size >= deps.sessions.max) throw mcpErrors.tooManySessions(deps.sessions.max);
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        onsessioninitialized: (id) => deps.sessions.add(id, { transport, server, owner, lastSeen: Date.now() }),
        onsessionclosed: (id) => deps.sessions.end(id),
      });
      await server.connect(transport);
      return transport.handleRequest(request.raw, hijack(reply), request.body);
    }
    // One request on its own: answered as JSON, then the server is closed.
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    const raw = hijack(reply);
    raw.once('close', () => void server.close().catch(() => undefined));
    return transport.handleRequest(request.raw, raw, request.body);
  };

  const session = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const { owner } = await who(request);
    const found = sessionOf(request, owner);
    if (found === undefined) throw mcpErrors.methodNotAllowed(request.method);
    return found.transport.handleRequest(request.raw, hijack(reply));
  };
  return { post, session };
}
