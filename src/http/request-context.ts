// Turns a request's credentials into the Caller every data path runs as. Order: an
// `Authorization: Bearer` token wins; otherwise the `apikey` header (supabase-js sends its
// key there); otherwise the anonymous role. A token that fails verification, or whose role
// is not one the server may switch to, is refused with 401 rather than downgraded.
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

export function flattenHeaders(headers: HeaderBag): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out[name.toLowerCase()] = typeof v === 'string' ? v : v.join(', ');
  }
  return out;
}

function tokenOf(headers: Record<string, string>): string | undefined {
  const authorization = headers['authorization'];
  if (authorization !== undefined) {
    const m = /^bearer\s*(.*)$/i.exec(authorization.trim());
    if (m === null) throw coreErrors.jwtInvalid('Authorization header must use the Bearer scheme');
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
    caller: { role, claims, headers, method: request.method, path: request.path },
    authenticated: role !== deps.anonRole,
  };
}
