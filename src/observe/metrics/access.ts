// Who may read /metrics: a caller presenting the service_role key (or any valid token whose
// role is service_role, as the jobs admin API accepts), or the metrics token when one is
// set, in `apikey` or `Authorization: Bearer`. Everyone else gets 401.
import { timingSafeEqual } from 'node:crypto';
import type { TokenVerifier } from '../../keys/verify-token.ts';

export type Headers = Readonly<Record<string, string | readonly string[] | undefined>>;

/** The credentials a request presents: its bearer token, then its `apikey`. */
export function presented(headers: Headers): string[] {
  const out: string[] = [];
  const authorization = headers['authorization'];
  const bearer = typeof authorization === 'string' ? /^bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] : undefined;
  if (bearer !== undefined) out.push(bearer);
  const apikey = headers['apikey'];
  if (typeof apikey === 'string' && apikey.trim() !== '' && apikey.trim() !== bearer) out.push(apikey.trim());
  return out;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function mayReadMetrics(headers: Headers, deps: { readonly verifyToken: TokenVerifier; readonly token: string | undefined }): Promise<boolean> {
  for (const credential of presented(headers)) {
    if (deps.token !== undefined && sameSecret(credential, deps.token)) return true;
    const result = await deps.verifyToken(credential);
    if (result.ok && result.claims['role'] === 'service_role') return true;
  }
  return false;
}
