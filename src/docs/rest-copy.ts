// GET /openapi/rest.json: REST's own document (GET /rest/v1/, PostgREST's Swagger 2.0) made
// browsable. PostgREST writes `basePath: /` and `host: ''`, so "Try it out" would call
// /<table> instead of /rest/v1/<table>; the copy sets the base path, lets the page's scheme
// and host stand (an empty host is not valid Swagger 2.0 either), and names the project's
// keys as security so "Authorize" can send them.
// The document is asked of REST itself with the caller's own credentials: REST's guard
// (a bad key is 401; no key is the anonymous role) stays the only one.
import type { FastifyInstance, FastifyRequest } from 'fastify';

export const REST_DOCUMENT_URL = '/rest/v1/';

/** The headers passed on to REST: the caller's credentials and schema choice, nothing else. */
const FORWARDED = ['authorization', 'apikey', 'accept-profile'] as const;

type Json = Record<string, unknown>;

/** REST's document with the base path and key schemes a browser needs (pure). */
export function browsableRestDocument(doc: Json): Json {
  const copy: Json = { ...doc, basePath: '/rest/v1' };
  delete copy['host'];
  delete copy['schemes'];
  copy['securityDefinitions'] = {
    apikey: { type: 'apiKey', in: 'header', name: 'apikey', description: "The project's anon key (or a user's access token): requests run as its role, under row level security." },
    bearer: { type: 'apiKey', in: 'header', name: 'Authorization', description: '`Bearer <access token>`: wins over apikey.' },
  };
  copy['security'] = [{}, { apikey: [] }, { bearer: [] }];
  return copy;
}

export interface Answer {
  readonly status: number;
  readonly type: string;
  readonly body: string;
}

/** Asks REST for its document as the caller; REST's refusals pass through unchanged. */
export async function restDocumentFor(http: FastifyInstance, request: FastifyRequest): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/openapi+json', 'x-request-id': request.id };
  for (const name of FORWARDED) {
    const v = request.headers[name];
    if (typeof v === 'string') headers[name] = v;
  }
  const res = await http.inject({ method: 'GET', url: REST_DOCUMENT_URL, headers });
  const type = String(res.headers['content-type'] ?? 'application/json; charset=utf-8');
  if (res.statusCode !== 200) return { status: res.statusCode, type, body: res.body };
  return { status: 200, type: 'application/json; charset=utf-8', body: JSON.stringify(browsableRestDocument(res.json<Json>())) };
}
