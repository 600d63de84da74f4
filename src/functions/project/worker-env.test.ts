import assert from 'node:assert/strict';
import { test } from 'node:test';
import { workerEnv } from './worker-env.ts';

test('workerEnv: .env, then set secrets, then what Supabase injects (which no secret overrides)', () => {
  const env = workerEnv(
    { STRIPE_KEY: 'from-dotenv', ONLY_DOTENV: '1', SUPABASE_URL: 'http://evil' },
    { STRIPE_KEY: 'from-secrets', SUPABASE_ANON_KEY: 'x' },
    { url: 'http://127.0.0.1:54321', anonKey: 'anon', serviceRoleKey: 'service', dbUrl: 'postgresql://postgres:pw@127.0.0.1:54322/postgres' },
    { denoDir: '/cache/deno', npmRegistry: 'https://registry.example/', home: '/home/u', network: { SSL_CERT_FILE: '/etc/ssl/certs/ca.crt' } },
  );
  assert.deepEqual(env, {
    STRIPE_KEY: 'from-secrets',
    ONLY_DOTENV: '1',
    SUPABASE_URL: 'http://127.0.0.1:54321',
    SUPABASE_PUBLIC_URL: 'http://127.0.0.1:54321',
    SUPABASE_ANON_KEY: 'anon',
    SUPABASE_SERVICE_ROLE_KEY: 'service',
    SUPABASE_DB_URL: 'postgresql://postgres:pw@127.0.0.1:54322/postgres',
    DENO_DIR: '/cache/deno',
    DENO_NO_UPDATE_CHECK: '1',
    NO_COLOR: '1',
    NPM_CONFIG_REGISTRY: 'https://registry.example/',
    HOME: '/home/u',
    SSL_CERT_FILE: '/etc/ssl/certs/ca.crt',
  });
  const bare = workerEnv({}, {}, { url: 'u', anonKey: 'a', serviceRoleKey: 's', dbUrl: undefined }, { denoDir: '/d', npmRegistry: undefined, home: undefined, network: {} });
  assert.equal('SUPABASE_DB_URL' in bare, false);
  assert.equal('NPM_CONFIG_REGISTRY' in bare, false);
});
