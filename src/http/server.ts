// The HTTP core shared by every API: request ids, CORS, security headers, the body limit,
// one log line per request, and one error renderer. API families register their routes
// on the instance this returns.
import { randomUUID } from 'node:crypto';
import { maxHeaderSize } from 'node:http';
import type { Socket } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Database } from '../db/port.ts';
import { coreErrors } from '../errors/core-catalogue.ts';
import { isClientAbort } from '../observe/client-abort.ts';
import type { Observer } from '../observe/events.ts';
import type { RequestTracing } from '../observe/tracing/types.ts';
import type { SchemaSource } from '../schema-cache/store.ts';
import { checkingInterval, clientErrorHandler, rawErrorResponse, RoutedRequests, type HttpTimeouts } from './client-errors.ts';
import { applyCors, SECURITY_HEADERS } from './cors.ts';
import { registerHealth } from './health.ts';
import { Lingering } from './linger.ts';
import { sendApiError, toApiError } from './render-error.ts';

export interface HttpDeps {
  readonly bodyLimit: number;
  readonly timeouts: HttpTimeouts;
  readonly db: Database;
  readonly schema: SchemaSource;
  readonly observe: Observer;
  /** A span per request (src/observe/tracing/); absent when tracing is off. */
  readonly tracing?: RequestTracing;
}

/** How long a closing connection keeps reading what its client still sends (see linger.ts). */
const LINGER_MS = 5000;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,200}$/;

export function buildHttpServer(deps: HttpDeps): FastifyInstance {
  const routed = new RoutedRequests();
  const lingering = new Lingering(LINGER_MS);
  const { headersMs, requestMs } = deps.timeouts;
  const app = Fastify({
    bodyLimit: deps.bodyLimit,
    logger: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Slow clients cannot hold connections open: Node answers 408 past these (Fastify's own
    // default is no request timeout at all).
    requestTimeout: requestMs,
    http: { headersTimeout: headersMs, requestTimeout: requestMs, connectionsCheckingInterval: checkingInterval(deps.timeouts) },
    // Requests Node refuses before routing (malformed bytes, huge headers, timeouts).
    clientErrorHandler: clientErrorHandler({ observe: deps.observe, timeouts: deps.timeouts, routed, maxHeaderBytes: maxHeaderSize, lingering }),
    // Errors Fastify raises before routing (a malformed URL…) use our catalogue too.
    frameworkErrors: (error, request, reply) => {
      reply.header('x-request-id', request.id).headers(SECURITY_HEADERS);
      void sendApiError(reply, error.code === 'FST_ERR_BAD_URL' ? coreErrors.badUrl(error.message) : coreErrors.bodyInvalid(error.message));
    },
    // Keep a caller's request id when it is sane, so logs correlate across services.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });

  deps.tracing?.instrument(app.server);

  app.addHook('onRequest', async (request, reply) => {
    routed.track({ req: request.raw, res: reply.raw, requestId: request.id, url: request.url });
    // A response that never completed: the client went away (logged at info, not as a failure).
    reply.raw.once('close', () => {
      if (reply.raw.writableFinished || routed.answered(reply.raw)) return;
      deps.observe({ type: 'request-aborted', requestId: request.id, method: request.method, url: request.url, ms: Math.round(reply.elapsedTime * 10) / 10 });
    });
    reply.header('x-request-id', request.id);
    reply.headers(SECURITY_HEADERS);
    const traceResponse = deps.tracing?.traceResponse(request.raw);
    if (traceResponse !== undefined) reply.header('traceresponse', traceResponse);
    if (applyCors(request, reply)) return reply.code(204).send();
    return undefined;
  });

  // While closing, answer in-flight requests with `Connection: close` so their keep-alive
  // sockets end with the response instead of holding shutdown open until they time out.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    app.server.closeIdleConnections();
    lingering.destroyAll();
  });
  app.addHook('onSend', async (request, reply) => {
    if (closing) reply.header('connection', 'close');
    // Answered before its body arrived (over the limit, refused early): the client is still
    // sending it. Close after the response, reading the rest meanwhile so the client gets
    // the response rather than a reset.
    if (!request.raw.complete && request.raw.socket !== null) {
      reply.header('connection', 'close');
      lingering.afterResponse(request.raw.socket);
    }
  });

  app.addHook('onResponse', async (request, reply) => {
    const length = reply.getHeader('content-length');
    const traceId = deps.tracing?.finish(request.raw, { status: reply.statusCode, route: request.routeOptions.url, requestId: request.id });
    deps.observe({
      type: 'request',
      requestId: request.id,
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      bytes: length === undefined ? undefined : Number(length),
      ...(traceId === undefined ? {} : { traceId }),
    });
  });

  app.setErrorHandler(async (error, request, reply) => {
    // The client left mid-body: the 'close' listener above logs it; no one reads this answer.
    if (isClientAbort(error)) return sendApiError(reply, coreErrors.bodyInvalid('the client closed the connection'));
    const { error: apiError, unexpected } = toApiError(error, request.id, deps.bodyLimit);
    if (unexpected) deps.observe({ type: 'request-failed', requestId: request.id, error });
    return sendApiError(reply, apiError);
  });

  // Node hands CONNECT to a 'connect' listener and destroys the socket when there is none,
  // so the client got no answer at all.
  app.server.on('connect', (_req: unknown, socket: Socket) => {
    socket.end(rawErrorResponse(coreErrors.methodNotAllowed('CONNECT'), { requestId: randomUUID(), withBody: true }));
  });

  app.setNotFoundHandler(async (request, reply) => sendApiError(reply, coreErrors.routeNotFound(request.method, request.url.split('?')[0] ?? '/')));

  registerHealth(app, deps.db, deps.schema);
  return app;
}
