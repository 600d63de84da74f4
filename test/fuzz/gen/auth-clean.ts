// Auth requests meant to be valid: well-formed emails, passwords and metadata, the right
// credentials for each endpoint. They run the flows to the end (sessions, codes, the outbox,
// the admin API); the malformed half of the mix comes from auth.ts.
import type { HttpCase } from '../case.ts';
import type { Rng } from '../prng.ts';
import { FUZZ_USER } from './schema.ts';
import { signHs256, type Credentials } from './tokens.ts';

type Json = Record<string, unknown>;
type Call = readonly [method: string, path: string, body: Json | undefined, caller: 'anon' | 'user' | 'admin'];

const newEmail = (r: Rng) => `clean+${r.int(0, 1e9)}@example.com`;
const metadata = (r: Rng) => r.pick<Json>([{}, { name: 'Ada' }, { plan: 'pro', tags: ['a', 'b'] }, { nested: { n: r.int(0, 9) } }]);

function call(r: Rng, creds: Credentials): Call {
  return r.weighted<() => Call>([
    [3, () => ['POST', '/signup', { email: newEmail(r), password: `Pw-${r.int(0, 1e6)}-long`, data: metadata(r) }, 'anon']],
    [2, () => ['POST', '/signup', { phone: `+1555${String(r.int(0, 9999999)).padStart(7, '0')}`, password: `Pw-${r.int(0, 1e6)}-long` }, 'anon']],
    [3, () => ['POST', '/token?grant_type=password', { email: FUZZ_USER.email, password: r.chance(0.8) ? FUZZ_USER.password : 'wrong-password' }, 'anon']],
    [1, () => ['POST', '/token?grant_type=refresh_token', { refresh_token: creds.session?.refreshToken ?? 'none' }, 'anon']],
    [1, () => ['POST', '/signup', {}, 'anon']],
    [2, () => ['POST', r.pick(['/otp', '/magiclink']), { email: r.chance(0.5) ? FUZZ_USER.email : newEmail(r), create_user: r.chance(0.5) }, 'anon']],
    [1, () => ['POST', '/recover', { email: FUZZ_USER.email }, 'anon']],
    [1, () => ['POST', '/resend', { type: r.pick(['signup', 'email_change', 'sms']), email: FUZZ_USER.email }, 'anon']],
    [2, () => ['POST', '/verify', { type: r.pick(['email', 'recovery', 'magiclink', 'signup']), email: FUZZ_USER.email, token: String(r.int(0, 999999)).padStart(6, '0') }, 'anon']],
    [1, () => ['GET', `/verify?type=${r.pick(['recovery', 'magiclink', 'signup'])}&token=${r.int(0, 1e9).toString(16)}&redirect_to=http%3A%2F%2Flocalhost%3A3000%2Fdone`, undefined, 'anon']],
    [3, () => ['GET', '/user', undefined, 'user']],
    [2, () => ['PUT', '/user', { data: metadata(r) }, 'user']],
    [1, () => ['GET', '/reauthenticate', undefined, 'user']],
    [1, () => ['POST', '/factors', { factor_type: 'totp', friendly_name: `f${r.int(0, 1e6)}` }, 'user']],
    [2, () => ['POST', '/admin/users', { email: newEmail(r), password: 'Pw-admin-long', email_confirm: r.chance(0.5), user_metadata: metadata(r), app_metadata: { plan: 'x' } }, 'admin']],
    [2, () => ['GET', `/admin/users?page=${r.int(1, 4)}&per_page=${r.int(1, 50)}`, undefined, 'admin']],
    [1, () => ['GET', `/admin/users/${FUZZ_USER.id}`, undefined, 'admin']],
    [1, () => ['PUT', `/admin/users/${FUZZ_USER.id}`, { user_metadata: metadata(r) }, 'admin']],
    [1, () => ['GET', `/admin/users/${FUZZ_USER.id}/factors`, undefined, 'admin']],
    [1, () => ['POST', '/admin/generate_link', { type: r.pick(['signup', 'magiclink', 'recovery', 'invite']), email: newEmail(r), password: 'Pw-link-long' }, 'admin']],
    [1, () => ['POST', '/invite', { email: newEmail(r) }, 'admin']],
    [1, () => ['GET', '/admin/outbox?limit=5', undefined, 'admin']],
    [1, () => ['GET', r.pick(['/settings', '/health', '/.well-known/jwks.json']), undefined, 'anon']],
  ])();
}

export function cleanAuthCase(r: Rng, creds: Credentials): HttpCase {
  const [method, path, body, caller] = call(r, creds);
  const headers: Record<string, string> = { apikey: creds.anonKey };
  if (caller === 'admin') headers['authorization'] = `Bearer ${creds.serviceKey}`;
  if (caller === 'user') {
    const minted = signHs256({ alg: 'HS256', typ: 'JWT' }, { role: 'authenticated', sub: FUZZ_USER.id, aud: 'authenticated', exp: 2082585600, email: FUZZ_USER.email }, creds.jwtSecret);
    headers['authorization'] = `Bearer ${r.chance(0.6) ? (creds.session?.accessToken ?? minted) : minted}`;
  }
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (r.chance(0.3)) headers['x-supabase-api-version'] = '2024-01-01';
  return { kind: 'http', family: 'auth', method, path: `/auth/v1${path}`, headers, ...(body === undefined ? {} : { body: Buffer.from(JSON.stringify(body)) }) };
}
