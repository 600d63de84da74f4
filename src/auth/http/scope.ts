// The Auth scope's body and error handling: bodies are JSON (an empty body is {}, as
// supabase-js sends none on logout) within the limits of validate.ts' checkBody, and errors
// render in the shape the request's X-Supabase-Api-Version asks for; an unexpected error is
// logged and answered as Supabase Auth's unexpected_failure, without its details.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Observer } from '../../observe/events.ts';
import { AuthError, apiVersion, authErrors, renderAuthError } from '../errors.ts';
import type { Body } from '../types.ts';
import { checkBody } from '../validate.ts';

/** Errors Fastify raises before a route runs (body too large…) in Auth's shape; else undefined. */
function frameworkError(error: unknown, request: FastifyRequest): AuthError | undefined {
  const f = error as { code?: unknown; statusCode?: unknown; message?: unknown };
  if (f.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return authErrors.requestTooLarge(request.routeOptions.bodyLimit);
  const status = typeof f.statusCode === 'number' ? f.statusCode : 0;
  if (typeof f.code === 'string' && f.code.startsWith('FST_') && status >= 400 && status < 500) return new AuthError(status, 'validation_failed', String(f.message));
  return undefined;
}

export function prepareScope(scope: FastifyInstance, observe: Observer): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body).trim();
    if (text === '') return done(null, {});
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      return done(authErrors.badJson(e instanceof Error ? e.message : String(e)), undefined);
    }
    try {
      checkBody(text, value);
    } catch (e) {
      return done(e as AuthError, undefined);
    }
    done(null, value);
  });
  // A NUL in the path or query (%00) would reach PostgreSQL's text, which refuses it.
  scope.addHook('onRequest', async (request) => {
    if (/%00/.test(request.url)) throw authErrors.nulCharacter('URL');
  });
  scope.setErrorHandler(async (error, request, reply) => {
    const known = error instanceof AuthError ? error : frameworkError(error, request);
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
