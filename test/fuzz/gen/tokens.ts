// Tokens for the Authorization and apikey headers: the project's anon key, tokens the
// fuzzer signs itself (synchronously, so generation stays a pure function of the seed) and
// broken ones. Validly signed tokens only ever claim roles that row-level security holds
// back (anon, authenticated, or unknown ones): the service_role key never reaches REST.
import { createHmac } from 'node:crypto';
import type { Rng } from '../prng.ts';
import { FUZZ_USER } from './schema.ts';
import { jsonValue, oddString } from './values.ts';

export interface Credentials {
  readonly anonKey: string;
  /** For Auth's admin API only. */
  readonly serviceKey: string;
  readonly jwtSecret: string;
  /** A real session of the fixture's user, when the sign-in at set-up worked. */
  readonly session?: { readonly accessToken: string; readonly refreshToken: string };
}

const b64 = (v: string | Buffer) => Buffer.from(v).toString('base64url');

export function signHs256(header: unknown, payload: unknown, secret: string): string {
  const head = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

const NOW = 1767225600; // fixed, so a seed signs the same bytes; expiries are relative to it

function claims(r: Rng): Record<string, unknown> {
  const role = r.weighted<unknown>([
    [6, 'authenticated'],
    [3, 'anon'],
    [1, 'fuzz_nobody'],
    [1, ''],
    [1, null],
    [1, 42],
    [1, ['authenticated']],
  ]);
  const c: Record<string, unknown> = { role, sub: r.pick<unknown>([FUZZ_USER.id, FUZZ_USER.id, '00000000-0000-4000-8000-000000000099', 'not-a-uuid', '', 1, null]), aud: 'authenticated' };
  c['exp'] = r.weighted<unknown>([
    [6, NOW + 10 * 365 * 86400],
    [1, NOW - 10],
    [1, 'tomorrow'],
    [1, 1e300],
    [1, -1],
  ]);
  if (r.chance(0.3)) c['email'] = r.chance(0.5) ? FUZZ_USER.email : oddString(r);
  if (r.chance(0.2)) c['session_id'] = r.pick<unknown>(['00000000-0000-4000-8000-000000000001', 'x', 7]);
  if (r.chance(0.2)) c['aal'] = r.pick<unknown>(['aal1', 'aal2', 'aal3', 0]);
  if (r.chance(0.2)) c['app_metadata'] = jsonValue(r, 3);
  if (r.chance(0.2)) c['user_metadata'] = jsonValue(r, 3);
  if (r.chance(0.05)) c['nbf'] = NOW + 10 * 365 * 86400;
  if (r.chance(0.05)) c['pad'] = 'p'.repeat(r.size(20000));
  return c;
}

/** A signed token with fuzzed claims (never a privileged role). */
export function userToken(r: Rng, creds: Credentials): string {
  return signHs256({ alg: 'HS256', typ: 'JWT' }, claims(r), creds.jwtSecret);
}

/** A token that must be refused: bad signature, alg none, garbage, truncated… */
export function brokenToken(r: Rng, creds: Credentials): string {
  const good = userToken(r, creds);
  return r.weighted<() => string>([
    [2, () => good.slice(0, r.int(0, good.length - 1))],
    [2, () => signHs256({ alg: 'HS256', typ: 'JWT' }, { role: 'service_role' }, 'not-the-secret-not-the-secret-not-the-secret')],
    [1, () => `${b64(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${b64(JSON.stringify({ role: 'service_role' }))}.`],
    [1, () => signHs256({ alg: r.pick(['HS384', 'RS256', 'ES256', 'none', 'EdDSA', '']), kid: oddString(r) }, claims(r), creds.jwtSecret)],
    [1, () => `${b64(JSON.stringify(jsonValue(r, 2)))}.${b64(JSON.stringify(jsonValue(r, 2)))}.${b64('sig')}`],
    [1, () => r.pick(['a.b.c', '..', '.', 'x', 'eyJ', 'null', 'Bearer', '....', 'a.b', 'a.b.c.d.e', '🔑.🔑.🔑'])],
    [1, () => `${b64('{"alg":"HS256"')}.${b64('{"role":')}.${b64('x')}`],
    [1, () => good.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))],
    [1, () => `${good}.${good}`],
    [1, () => creds.anonKey.slice(0, -3) + 'abc'],
    [1, () => creds.serviceKey.slice(0, -2) + 'zz'],
  ])();
}

/** The Authorization header value: a bearer of some token, or a malformed header. */
export function authorization(r: Rng, token: string): string {
  return r.weighted<() => string>([
    [10, () => `Bearer ${token}`],
    [1, () => `bearer   ${token}  `],
    [1, () => r.pick(['Bearer', 'Bearer ', 'Basic YTpi', `Token ${token}`, `Bearer ${token} extra`, 'Bearer\t' + token, `Bearer ${token},Bearer ${token}`])],
  ])();
}

/** Headers carrying the credentials of a REST call: anon most of the time, a user sometimes, junk sometimes. */
export function restCredentials(r: Rng, creds: Credentials): Record<string, string> {
  return r.weighted<() => Record<string, string>>([
    [8, () => ({ apikey: creds.anonKey })],
    [3, () => ({ apikey: creds.anonKey, authorization: authorization(r, creds.session?.accessToken ?? userToken(r, creds)) })],
    [3, () => ({ apikey: creds.anonKey, authorization: authorization(r, userToken(r, creds)) })],
    [2, () => ({ apikey: creds.anonKey, authorization: authorization(r, brokenToken(r, creds)) })],
    [1, () => ({ apikey: brokenToken(r, creds) })],
    [1, () => ({})],
  ])();
}
