// Who an MCP request acts for, from its bearer token (or `apikey` header, as supabase-js
// sends keys): the service-role key makes an operator session; a signed-in user's access
// token makes a per-user session whose tools run as that user under RLS; the anon key and
// anything unverifiable are refused.
import type { ApiError } from '../../errors/api-error.ts';
import { flattenHeaders, parseCookies, type HeaderBag } from '../../http/request-context.ts';
import type { TokenVerifier } from '../../keys/verify-token.ts';
import { mcpErrors } from '../errors.ts';
import type { Principal } from '../tools/types.ts';

export interface PrincipalDeps {
  readonly verify: TokenVerifier;
  readonly anonRole: string;
  readonly usersAllowed: boolean;
}

export interface Identified {
  readonly principal: Principal;
  /** Ties a session to its credentials: the role and subject (the token itself rotates). */
  readonly owner: string;
}

function tokenOf(headers: Record<string, string>): string | undefined {
  const m = /^bearer\s+(\S+)\s*$/i.exec(headers['authorization'] ?? '');
  return m?.[1] ?? (headers['apikey']?.trim() || undefined);
}

export async function identify(headers: HeaderBag, deps: PrincipalDeps): Promise<Identified | ApiError> {
  const flat = flattenHeaders(headers);
  const token = tokenOf(flat);
  if (token === undefined) return mcpErrors.noCredentials();
  const verified = await deps.verify(token);
  if (!verified.ok) return mcpErrors.badToken(verified.failure.message);
  const role = verified.claims['role'];
  if (role === 'service_role') return { principal: { kind: 'service' }, owner: 'service_role' };
  if (typeof role !== 'string' || role === '' || role === deps.anonRole) return mcpErrors.anonymous();
  if (!deps.usersAllowed) return mcpErrors.usersOff();
  const sub = verified.claims['sub'];
  const caller = { role, claims: verified.claims, headers: flat, cookies: parseCookies(headers['cookie']), method: 'POST', path: '/mcp' };
  return { principal: { kind: 'user', caller }, owner: `${role}:${typeof sub === 'string' ? sub : ''}` };
}
