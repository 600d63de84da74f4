// The Auth scope's body and error handling: bodies are JSON (an empty body is {}, as
// supabase-js sends none on logout), and errors render in the shape the request's
// X-Supabase-Api-Version asks for; an unexpected error is logged and answered as Supabase
// Auth's unexpected_failure, without its details.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Observer } from '../../observe/events.ts';
import { AuthError, apiVersion, authErrors, renderAuthError } from '../errors.ts';
import type { Body } from '../types.ts';

export function prepareScope(scope: FastifyInstance, observe: Observer): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body).trim();
    if (text === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      done(authErrors.badJson(e instanceof Error ? e.message : String(e)), undefined);
    }
  });
  scope.setErrorHandler(async (error, request, reply) => {
    const known = error instanceof AuthError ? error : undefined;
    if (known === undefined) observe({ type: 'request-failed', requestId: request.id, error });
    const { status, headers, body } = renderAuthError(known ?? authErrors.unexpected(), apiVersion(String(request.headers['x-supabase-api-version'] ?? '')));
    return reply.code(status).headers(headers).send(body);
  });
}

/** The parsed JSON body when it is an object, else `{}`. */
export const bodyOf = (r: FastifyRequest): Body => (typeof r.body === 'object' && r.body !== null ? (r.body as Body) : {});

/** A query string parameter. */
export const queryParam = (r: FastifyRequest, name: string): string | undefined => (r.query as Record<string, string | undefined>)[name];

export const sendJson = (reply: FastifyReply, value: unknown): FastifyReply => reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(value));
