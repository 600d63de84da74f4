// The HTTP core shared by every API: request ids, CORS, security headers, the body limit,
// one log line per request, and one error renderer. API families register their routes
// on the instance this returns.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Database } from '../db/port.ts';
import { coreErrors } from '../errors/core-catalogue.ts';
import type { Observer } from '../observe/events.ts';
import type { SchemaCacheStore } from '../schema-cache/store.ts';
import { applyCors, SECURITY_HEADERS } from './cors.ts';
import { registerHealth } from './health.ts';
import { sendApiError, toApiError } from './render-error.ts';

export interface HttpDeps {
  readonly bodyLimit: number;
  readonly db: Database;
  readonly schema: SchemaCacheStore;
  readonly observe: Observer;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,200}$/;

export function buildHttpServer(deps: HttpDeps): FastifyInstance {
  const app = Fastify({
    bodyLimit: deps.bodyLimit,
    logger: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Errors Fastify raises before routing (a malformed URL…) use our catalogue too.
    frameworkErrors: (error, _request, reply) => {
      void sendApiError(reply, error.code === 'FST_ERR_BAD_URL' ? coreErrors.badUrl(error.message) : coreErrors.bodyInvalid(error.message));
    },
    // Keep a caller's request id when it is sane, so logs correlate across services.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.headers(SECURITY_HEADERS);
    if (applyCors(request, reply)) return reply.code(204).send();
    return undefined;
  });

  // While closing, answer in-flight requests with `Connection: close` so their keep-alive
  // sockets end with the response instead of holding shutdown open until they time out.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    app.server.closeIdleConnections();
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  app.addHook('onResponse', async (request, reply) => {
    const length = reply.getHeader('content-length');
    deps.observe({
      type: 'request',
      requestId: request.id,
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      bytes: length === undefined ? undefined : Number(length),
    });
  });

  app.setErrorHandler(async (error, request, reply) => {
    const { error: apiError, unexpected } = toApiError(error, request.id, deps.bodyLimit);
    if (unexpected) deps.observe({ type: 'request-failed', requestId: request.id, error });
    return sendApiError(reply, apiError);
  });

  app.setNotFoundHandler(async (request, reply) => sendApiError(reply, coreErrors.routeNotFound(request.method, request.url.split('?')[0] ?? '/')));

  registerHealth(app, deps.db, deps.schema);
  return app;
}
