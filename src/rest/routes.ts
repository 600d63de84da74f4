// Mounts the REST API at /rest/v1. Bodies are read raw (any content type) so the REST
// stages parse them with PostgREST's rules and error codes.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api-error.ts';
import { sendApiError } from '../http/render-error.ts';
import { handleRest, type RestDeps } from './handler.ts';

const PREFIX = '/rest/v1';

export function registerRest(app: FastifyInstance, deps: RestDeps): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    scope.setErrorHandler(async (error, _request, reply) => {
      if (error instanceof ApiError) return sendApiError(reply.header('proxy-status', `PostgREST; error=${error.body.code}`), error);
      throw error; // the core's handler maps the rest
    });
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const url = request.url;
      const q = url.indexOf('?');
      const path = (q < 0 ? url : url.slice(0, q)).slice(PREFIX.length) || '/';
      // A client that goes away gives up its request's place at the database (embedded).
      const gone = new AbortController();
      const onClose = () => {
        if (!reply.raw.writableFinished) gone.abort();
      };
      reply.raw.once('close', onClose);
      const res = await handleRest(
        { method: request.method, path, query: q < 0 ? '' : url.slice(q + 1), headers: request.headers, body: Buffer.isBuffer(request.body) ? request.body : undefined },
        deps,
        gone.signal,
      );
      reply.code(res.status).headers(res.headers);
      return res.body === undefined ? reply.send() : reply.send(res.body);
    };
    const methods = ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'] as const;
    scope.route({ method: [...methods], url: PREFIX, handler });
    scope.route({ method: [...methods], url: `${PREFIX}/*`, handler });
  });
}
