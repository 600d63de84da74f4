// CORS for browser apps using supabase-js: any origin, the headers the client libraries
// send, and the response headers they read.
import type { FastifyReply, FastifyRequest } from 'fastify';

export const ALLOWED_HEADERS = [
  'apikey',
  'authorization',
  'x-client-info',
  'content-type',
  'prefer',
  'range',
  'accept-profile',
  'content-profile',
  'x-supabase-api-version',
  'x-retry-count',
  'x-request-id',
];
export const EXPOSED_HEADERS = ['content-range', 'content-profile', 'preference-applied', 'location', 'x-supabase-api-version', 'x-request-id'];
const METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';

/** Sets CORS headers; returns true when the request was a preflight and is answered. */
export function applyCors(request: FastifyRequest, reply: FastifyReply): boolean {
  const origin = request.headers.origin;
  reply.header('access-control-allow-origin', origin ?? '*');
  if (origin !== undefined) reply.header('vary', 'Origin');
  reply.header('access-control-expose-headers', EXPOSED_HEADERS.join(', '));
  const preflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
  if (!preflight) return false;
  // Allow what the client asks for on top of the known list: functions may send custom headers.
  const asked = String(request.headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => /^[a-z0-9-]+$/.test(h));
  const allowed = [...new Set([...ALLOWED_HEADERS, ...asked])];
  reply.header('access-control-allow-methods', METHODS);
  reply.header('access-control-allow-headers', allowed.join(', '));
  reply.header('access-control-max-age', '86400');
  return true;
}

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};
