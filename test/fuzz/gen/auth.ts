// Auth requests (/auth/v1): sign-up, the /token grants, codes, verification, recovery, the
// user, MFA factors and the admin API, with wrong types, huge emails, deep metadata, bad
// tokens and odd headers mixed into mostly plausible payloads.
import type { HttpCase } from '../case.ts';
import type { Rng } from '../prng.ts';
import { BODY_LIMIT } from './bodies.ts';
import { FUZZ_USER } from './schema.ts';
import { authorization, brokenToken, userToken, type Credentials } from './tokens.ts';
import { brokenJson, deepJson, jsonValue, oddString, pct, urlValue } from './values.ts';

type Json = Record<string, unknown>;

function wrongType(r: Rng): unknown {
  return r.pick<unknown>([null, 0, -1, 1.5, true, [], ['a@b.c'], {}, { email: 'a@b.c' }, '', 1e308]);
}

function email(r: Rng): unknown {
  return r.weighted<() => unknown>([
    [5, () => `fuzz+${r.int(0, 1e9)}@example.com`],
    [2, () => FUZZ_USER.email],
    [1, () => `${'a'.repeat(r.pick([64, 65, 255, 3000, 70000]))}@example.com`],
    [1, () => `a@${'b'.repeat(r.pick([250, 3000]))}.com`],
    [2, () => r.pick(['a@b', '@', 'a@@b.c', ' FUZZ@EXAMPLE.COM ', 'a b@c.d', 'é@ü.de', 'a\u0000@b.c', 'a@b.c\n', '"a"@b.c', 'a+@b.c', '<a@b.c>', 'a@[127.0.0.1]', ''])],
    [1, () => oddString(r)],
    [1, () => wrongType(r)],
  ])();
}

function password(r: Rng): unknown {
  return r.weighted<() => unknown>([
    [4, () => FUZZ_USER.password],
    [2, () => `Pw-${r.int(0, 1e6)}-long-enough`],
    [1, () => r.pick(['', 'a', '12345', 'p\u0000ssword', '\ud800\ud800\ud800\ud800', 'é'.repeat(80)])],
    [1, () => 'p'.repeat(r.pick([72, 73, 1000, 100000]))],
    [1, () => oddString(r)],
    [1, () => wrongType(r)],
  ])();
}

function phone(r: Rng): unknown {
  return r.weighted<() => unknown>([
    [3, () => `+1555${String(r.int(0, 9999999)).padStart(7, '0')}`],
    [1, () => r.pick(['123', '+', '', '+1 (555) 555-0100', '0000000000000000000000000', 'abc', '+15555550100\u0000', '٠١٢٣٤٥٦٧٨٩'])],
    [1, () => '9'.repeat(r.pick([100, 5000]))],
    [1, () => wrongType(r)],
  ])();
}

function metadata(r: Rng): unknown {
  return r.weighted<() => unknown>([
    [4, () => jsonValue(r, 3)],
    [1, () => ({ blob: 'm'.repeat(r.pick([10000, 200000, BODY_LIMIT])) })],
    [1, () => Object.fromEntries(r.many(r.pick([1000, 5000]), (i) => [`k${i}`, i]))],
    [1, () => wrongType(r)],
  ])();
}

const uuid = (r: Rng) => r.pick([FUZZ_USER.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid', '', '%00', '..', 'f0220000-0000-4000-8000-00000000000Z', 'x'.repeat(r.size(3000))]);
const otpType = (r: Rng) => r.pick(['signup', 'invite', 'magiclink', 'recovery', 'email_change', 'email', 'sms', 'phone_change', 'nonsense', '']);

interface Endpoint {
  readonly method: string;
  readonly path: (r: Rng) => string;
  readonly body?: (r: Rng, creds: Credentials) => Json;
  /** Who calls: the anon key (default), a user's bearer token, or the service role (admin API). */
  readonly caller?: 'user' | 'admin';
}

const maybe = (r: Rng, o: Json) => Object.fromEntries(Object.entries(o).filter(() => r.chance(0.8)));

const ENDPOINTS: ReadonlyArray<readonly [number, Endpoint]> = [
  [6, { method: 'POST', path: () => '/signup', body: (r) => maybe(r, { email: email(r), password: password(r), ...(r.chance(0.2) ? { phone: phone(r) } : {}), data: metadata(r), options: r.chance(0.2) ? jsonValue(r, 2) : undefined, code_challenge: r.chance(0.2) ? oddString(r) : undefined, code_challenge_method: r.pick(['s256', 'plain', 'S256', 'md5']) }) }],
  [6, { method: 'POST', path: (r) => `/token?grant_type=${r.pick(['password', 'password', 'refresh_token', 'pkce', 'id_token', 'web3', 'nonsense', '', 'PASSWORD'])}`, body: (r, c) => maybe(r, { email: email(r), phone: r.chance(0.2) ? phone(r) : undefined, password: password(r), refresh_token: r.chance(0.5) ? (c.session?.refreshToken ?? 'x') : oddString(r), auth_code: oddString(r), code_verifier: oddString(r), provider: oddString(r) }) }],
  [3, { method: 'POST', path: (r) => r.pick(['/otp', '/magiclink']), body: (r) => maybe(r, { email: email(r), phone: r.chance(0.3) ? phone(r) : undefined, create_user: r.pick<unknown>([true, false, 'yes', null]), data: metadata(r), channel: r.pick(['sms', 'whatsapp', 'pigeon']) }) }],
  [2, { method: 'POST', path: () => '/recover', body: (r) => maybe(r, { email: email(r), gotrue_meta_security: jsonValue(r, 1) }) }],
  [2, { method: 'POST', path: () => '/resend', body: (r) => maybe(r, { type: otpType(r), email: email(r), phone: r.chance(0.3) ? phone(r) : undefined }) }],
  [3, { method: 'POST', path: () => '/verify', body: (r) => maybe(r, { type: otpType(r), token: r.pick<unknown>(['123456', '000000', '', oddString(r), 123456]), token_hash: oddString(r), email: email(r), phone: r.chance(0.3) ? phone(r) : undefined, redirect_to: oddString(r) }) }],
  [2, { method: 'GET', path: (r) => `/verify?type=${pct(otpType(r))}&token=${urlValue(r, oddString(r))}${r.chance(0.5) ? `&redirect_to=${urlValue(r, r.pick(['http://localhost:3000/x', 'javascript:alert(1)', '//evil.example', oddString(r)]))}` : ''}` }],
  [3, { method: 'GET', path: () => '/user', caller: 'user' }],
  [3, { method: 'PUT', path: () => '/user', caller: 'user', body: (r) => maybe(r, { email: r.chance(0.3) ? email(r) : undefined, password: r.chance(0.3) ? password(r) : undefined, phone: r.chance(0.2) ? phone(r) : undefined, data: metadata(r), nonce: oddString(r) }) }],
  [1, { method: 'GET', path: () => '/reauthenticate', caller: 'user' }],
  [1, { method: 'POST', path: (r) => `/logout${r.chance(0.5) ? `?scope=${r.pick(['global', 'local', 'others', 'nonsense', ''])}` : ''}`, caller: 'user' }],
  [2, { method: 'POST', path: () => '/factors', caller: 'user', body: (r) => maybe(r, { factor_type: r.pick(['totp', 'phone', 'webauthn', '']), friendly_name: oddString(r), issuer: oddString(r), phone: phone(r) }) }],
  [2, { method: 'POST', path: (r) => `/factors/${pct(uuid(r))}/${r.pick(['challenge', 'verify'])}`, caller: 'user', body: (r) => maybe(r, { challenge_id: uuid(r), code: r.pick<unknown>(['123456', '', 1, oddString(r)]), channel: 'sms' }) }],
  [1, { method: 'DELETE', path: (r) => `/factors/${pct(uuid(r))}`, caller: 'user' }],
  [2, { method: 'POST', path: (r) => r.pick(['/admin/users', '/invite']), caller: 'admin', body: (r) => maybe(r, { email: email(r), password: password(r), phone: r.chance(0.3) ? phone(r) : undefined, user_metadata: metadata(r), app_metadata: metadata(r), email_confirm: r.pick<unknown>([true, false, 'yes']), phone_confirm: r.pick<unknown>([true, 1]), ban_duration: r.pick<unknown>(['1h', 'none', '-1h', '99999999999h', 'x', 5]), role: r.pick<unknown>(['authenticated', 'service_role', 'postgres', '']), data: metadata(r) }) }],
  [2, { method: 'GET', path: (r) => `/admin/users${r.chance(0.6) ? `?page=${urlValue(r, r.pick(['1', '0', '-1', 'x', '99999999999999999999', '1e9']))}&per_page=${urlValue(r, r.pick(['1', '50', '0', '-5', '1000000', 'x']))}` : ''}`, caller: 'admin' }],
  [2, { method: 'GET', path: (r) => `/admin/users/${pct(uuid(r))}${r.chance(0.3) ? '/factors' : ''}`, caller: 'admin' }],
  [2, { method: 'PUT', path: (r) => `/admin/users/${pct(uuid(r))}${r.chance(0.2) ? `/factors/${pct(uuid(r))}` : ''}`, caller: 'admin', body: (r) => maybe(r, { email: email(r), password: password(r), user_metadata: metadata(r), app_metadata: metadata(r), ban_duration: r.pick<unknown>(['1h', 'none', 'x', 3]), friendly_name: oddString(r) }) }],
  [1, { method: 'DELETE', path: (r) => `/admin/users/${pct(uuid(r))}${r.chance(0.2) ? `/factors/${pct(uuid(r))}` : ''}`, caller: 'admin', body: (r) => ({ should_soft_delete: r.pick<unknown>([true, false, 'yes']) }) }],
  [1, { method: 'POST', path: () => '/admin/generate_link', caller: 'admin', body: (r) => maybe(r, { type: r.pick(['signup', 'invite', 'magiclink', 'recovery', 'email_change_current', 'email_change_new', 'x']), email: email(r), new_email: email(r), password: password(r), data: metadata(r), redirect_to: oddString(r) }) }],
  [1, { method: 'GET', path: (r) => `/admin/outbox${r.chance(0.5) ? `?limit=${urlValue(r, r.pick(['1', '0', '-1', '1e9', 'x', '500']))}` : ''}`, caller: 'admin' }],
  [2, { method: 'GET', path: (r) => r.pick(['/settings', '/health', '/.well-known/jwks.json', '/authorize?provider=github', '/sso', '/passkeys/x', '/oauth/x', '/admin/sso/x', '/user/identities/authorize', '/nonsense', '/', '', '/token', '/signup', `/${'x'.repeat(r.size(20000))}`]) }],
];

function bodyBytes(r: Rng, json: Json | undefined): Buffer | undefined {
  if (json === undefined) return r.chance(0.05) ? Buffer.from(brokenJson(r, '{}')) : undefined;
  return Buffer.from(
    r.weighted<() => string>([
      [14, () => JSON.stringify(json)],
      [2, () => brokenJson(r, JSON.stringify(json))],
      [1, () => deepJson(r, r.pick([1000, 10000, 100000]))],
      [1, () => `{"email":"a@b.c","data":${deepJson(r, r.pick([500, 5000, 50000]))}}`],
      [1, () => JSON.stringify(jsonValue(r, 2))],
      [1, () => `{"email":"${'e'.repeat(BODY_LIMIT + 10)}@example.com"}`],
    ])(),
    'utf8',
  );
}

export function authCase(r: Rng, creds: Credentials): HttpCase {
  const ep = r.weighted(ENDPOINTS);
  const headers: Record<string, string> = {};
  if (r.chance(0.9)) headers['apikey'] = r.chance(0.95) ? creds.anonKey : brokenToken(r, creds);
  const token = r.weighted<() => string | undefined>([
    [ep.caller === 'admin' ? 8 : 0, () => creds.serviceKey],
    [ep.caller === 'user' ? 5 : 0, () => creds.session?.accessToken ?? userToken(r, creds)],
    [ep.caller === undefined ? 0 : 3, () => userToken(r, creds)],
    [2, () => brokenToken(r, creds)],
    [ep.caller === undefined ? 8 : 1, () => undefined],
  ])();
  if (token !== undefined) headers['authorization'] = authorization(r, token);
  const body = bodyBytes(r, ep.body?.(r, creds));
  if (body !== undefined) headers['content-type'] = r.weighted([[10, 'application/json'], [1, 'text/plain'], [1, 'application/x-www-form-urlencoded'], [1, '']]);
  if (r.chance(0.1)) headers['x-supabase-api-version'] = r.pick(['2024-01-01', '2023-01-01', 'x', '', '9999-99-99']);
  if (r.chance(0.05)) headers['x-forwarded-for'] = r.pick(['1.2.3.4', 'x', '', '::1, 1.1.1.1', 'a'.repeat(r.size(5000))]);
  let path = ep.path(r);
  if (r.chance(0.1)) path += `${path.includes('?') ? '&' : '?'}redirect_to=${urlValue(r, r.pick(['http://localhost:3000', 'http://evil.example', '', oddString(r)]))}`;
  return { kind: 'http', family: 'auth', method: ep.method, path: `/auth/v1${path}`, headers, ...(body === undefined ? {} : { body }) };
}
