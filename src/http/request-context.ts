// Turns a request's credentials into the Caller every data path runs as. Order: an
// `Authorization: Bearer` token wins (other schemes are ignored, as PostgREST does);
// otherwise the `apikey` header (supabase-js sends its key there); otherwise the anonymous
// role. A token that fails verification, or whose role is not one the server may switch
// to, is refused with 401 rather than downgraded.
import type { Caller } from '../db/port.ts';
import { coreErrors } from '../errors/core-catalogue.ts';
import type { TokenVerifier } from '../keys/verify-token.ts';

export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface CallerDeps {
  readonly verify: TokenVerifier;
  /** Roles the server may switch to (the authenticator role's memberships). */
  readonly roles: ReadonlySet<string>;
  readonly anonRole: string;
}

export interface ResolvedCaller {
  readonly caller: Caller;
  /** False for the anonymous role: PostgREST then answers 401 instead of 403 on 42501. */
  readonly authenticated: boolean;
}

/** Request headers as PostgREST exposes them in `request.headers`: lower-cased, without cookies. */
export function flattenHeaders(headers: HeaderBag): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (v === undefined || key === 'cookie') continue;
    out[key] = typeof v === 'string' ? v : v.join(', ');
  }
  return out;
}

/** The `Cookie` header parsed into `request.cookies`; a malformed pair is skipped. */
export function parseCookies(header: string | readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (typeof header === 'string' ? header : (header ?? []).join('; ')).split(';')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    const value = pair.slice(at + 1).trim();
    try {
      out[pair.slice(0, at).trim()] = decodeURIComponent(value);
    } catch {
      out[pair.slice(0, at).trim()] = value;
    }
  }
  return out;
}

function tokenOf(headers: Record<string, string>): string | undefined {
  const m = /^bearer(?:\s+(.*)|\s*)$/i.exec((headers['authorization'] ?? '').trim());
  if (m !== null) {
    const token = (m[1] ?? '').trim();
    if (token === '') throw coreErrors.jwtInvalid('Empty JWT is sent in Authorization header');
    return token;
  }
  const apikey = headers['apikey']?.trim();
  return apikey === '' ? undefined : apikey;
}

/** Throws an ApiError (401) for bad credentials; never reaches the database. */
export async function resolveCaller(
  request: { readonly method: string; readonly path: string; readonly headers: HeaderBag },
  deps: CallerDeps,
): Promise<ResolvedCaller> {
  const headers = flattenHeaders(request.headers);
  const token = tokenOf(headers);
  const cookies = parseCookies(request.headers['cookie'] ?? request.headers['Cookie']);
  let claims: Readonly<Record<string, unknown>> = { role: deps.anonRole };
  if (token !== undefined) {
    const result = await deps.verify(token);
    if (!result.ok) {
      throw result.failure.kind === 'claims' ? coreErrors.jwtClaims(result.failure.message) : coreErrors.jwtInvalid(result.failure.message);
    }
    claims = result.claims;
  }
  const claimed = claims['role'];
  const role = claimed === undefined || claimed === null ? deps.anonRole : typeof claimed === 'string' ? claimed : JSON.stringify(claimed);
  if (!deps.roles.has(role)) throw coreErrors.unknownRole(role);
  return {
    // As PostgREST does, the claims carry the role the request actually runs as.
    caller: { role, claims: { ...claims, role }, headers, cookies, method: request.method, path: request.path },
    authenticated: role !== deps.anonRole,
  };
}
