// The custom access token hook, as Supabase Auth calls it: the configured SQL function gets
// {user_id, claims, authentication_method} and returns {claims} (possibly changed) or
// {error: {http_code, message}}. The claims Supabase requires must survive.
import { ident, sql } from '../../lib/sql.ts';
import type { Queryable } from '../../db/port.ts';
import { authErrors } from '../errors.ts';
import type { ClaimsHook } from './access-token.ts';

const REQUIRED = ['aud', 'exp', 'iat', 'sub', 'email', 'phone', 'role', 'aal', 'session_id', 'is_anonymous'];

export function customAccessTokenHook(tx: Queryable, fn: string | undefined, userId: string, method: string): ClaimsHook | undefined {
  if (fn === undefined) return undefined;
  const [schema, name] = fn.split('.') as [string, string];
  return async (claims) => {
    const event = JSON.stringify({ user_id: userId, claims, authentication_method: method });
    const { rows } = await tx.query<{ out: Record<string, unknown> | null }>(sql`select ${ident(schema, name)}(${event}::jsonb) as out`);
    const out = rows[0]?.out ?? {};
    const error = out['error'] as { http_code?: number; message?: string } | undefined;
    if (error !== undefined) throw authErrors.hookFailed(error.http_code ?? 500, error.message ?? 'the access token hook refused');
    const next = out['claims'];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) throw authErrors.hookOutput();
    const result = next as Record<string, unknown>;
    if (!REQUIRED.every((k) => k in result)) throw authErrors.hookOutput();
    return result;
  };
}
