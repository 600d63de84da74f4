// One place turns any thrown value into an HTTP error response.
import type { FastifyReply } from 'fastify';
import { DbError, DbUnavailableError } from '../db/errors.ts';
import { ApiError } from '../errors/api-error.ts';
import { coreErrors } from '../errors/core-catalogue.ts';

/** Maps a thrown value to an ApiError; `unexpected` is true when it is a bug (logged as such). */
export function toApiError(e: unknown, requestId: string, bodyLimit: number): { error: ApiError; unexpected: boolean } {
  if (e instanceof ApiError) return { error: e, unexpected: false };
  if (e instanceof DbUnavailableError) return { error: coreErrors.dbUnavailable(e.message), unexpected: false };
  if (e instanceof DbError) return { error: coreErrors.fromDb(e, false), unexpected: false };
  const fst = e as { code?: unknown; statusCode?: unknown; message?: unknown };
  const code = typeof fst.code === 'string' ? fst.code : '';
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { error: coreErrors.bodyTooLarge(bodyLimit), unexpected: false };
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return { error: coreErrors.unsupportedMediaType(String(fst.message ?? '')), unexpected: false };
  if (code.startsWith('FST_ERR_CTP') || (fst.statusCode === 400 && e instanceof SyntaxError)) {
    return { error: coreErrors.bodyInvalid(String(fst.message ?? 'unreadable body')), unexpected: false };
  }
  return { error: coreErrors.internal(requestId), unexpected: true };
}

export function sendApiError(reply: FastifyReply, error: ApiError): FastifyReply {
  return reply
    .code(error.status)
    .headers(error.headers)
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify(error.body));
}
