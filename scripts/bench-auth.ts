// npm run bench:auth: Auth throughput on server PostgreSQL, each figure beside the ceiling
// it is bounded by, so the ratio says something on any machine:
// - password sign-ins/s, beside bcrypt checks/s done by PostgreSQL alone (the sign-in cost);
// - refreshes/s, beside GET /auth/v1/health/s (the HTTP floor);
// - token verification per REST request: µs per verification (new and cached tokens), and
//   as a share of a REST read's server CPU from /proc.
// Load comes from CONCURRENCY (default 16) async loops in this process for DURATION s (5).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { SignJWT } from 'jose';
import { createTokenVerifier } from '../src/keys/verify-token.ts';
import { keySetFrom, signAsymmetric } from '../src/keys/key-set.ts';
import { generateKeyPairSync } from 'node:crypto';
import { freePort, startPgCluster } from '../test/support/pg-cluster.ts';

const root = join(import.meta.dirname, '..');
const seconds = Number(process.env.DURATION ?? 5);
const concurrency = Number(process.env.CONCURRENCY ?? 16);
const secret = 'bench-auth-secret-bench-auth-secret-012345';

async function loop(work: (i: number) => Promise<void>): Promise<number> {
  let done = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, i) => {
      while (performance.now() < until) {
        await work(i);
        done++;
      }
    }),
  );
  return Math.round(done / seconds);
}

const cpuTicks = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(f[11]) + Number(f[12]);
};

const cluster = await startPgCluster();
const dataDir = mkdtempSync(join(tmpdir(), 'gw-bench-auth-'));
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, [join(root, 'dist/cli.js'), 'start', '--project-dir', dataDir], {
  env: {
    PATH: process.env.PATH ?? '',
    DATABASE_URL: cluster.url,
    JWT_SECRET: secret,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    GROUNDWORK_DATA_DIR: dataDir,
    GROUNDWORK_AUTH_AUTOCONFIRM: 'true',
    GROUNDWORK_AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS: '0',
    GROUNDWORK_AUTH_RATE_LIMIT_TOKEN_REFRESH: '0',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
try {
  for (let i = 0; i < 200; i++) {
    if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const post = (path: string, body: unknown) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => (await r.json()) as Record<string, unknown>);
  for (let i = 0; i < concurrency; i++) await post('/auth/v1/signup', { email: `u${i}@example.com`, password: 'bench password' });

  const sql = postgres(cluster.url, { max: concurrency, onnotice: () => undefined });
  const hash = (await sql`select extensions.crypt('bench password', extensions.gen_salt('bf', 10)) as h`)[0]?.['h'] as string;
  const bcrypt = await loop(async () => {
    await sql`select extensions.crypt('bench password', ${hash})`;
  });
  const signIns = await loop((i) => post('/auth/v1/token?grant_type=password', { email: `u${i}@example.com`, password: 'bench password' }).then(() => undefined));

  const tokens = await Promise.all(Array.from({ length: concurrency }, (_, i) => post('/auth/v1/token?grant_type=password', { email: `u${i}@example.com`, password: 'bench password' }).then((s) => s['refresh_token'] as string)));
  const refreshes = await loop(async (i) => {
    const s = await post('/auth/v1/token?grant_type=refresh_token', { refresh_token: tokens[i] });
    tokens[i] = s['refresh_token'] as string;
  });
  const health = await loop(() => fetch(`${url}/auth/v1/health`).then((r) => r.arrayBuffer()).then(() => undefined));

  // Token verification: HS256 on new tokens (signed by jose), then the cache on a repeated one.
  const verify = createTokenVerifier(secret);
  const fresh = await Promise.all(Array.from({ length: 2000 }, (_, i) => new SignJWT({ role: 'authenticated', sub: String(i) }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret))));
  let t0 = performance.now();
  for (const t of fresh) await verify(t);
  const uncachedUs = ((performance.now() - t0) * 1000) / fresh.length;
  t0 = performance.now();
  for (let i = 0; i < 20000; i++) await verify(fresh[0] as string);
  const cachedUs = ((performance.now() - t0) * 1000) / 20000;
  // The same with an RS256 key set (GROUNDWORK_AUTH_SIGNING_KEYS_PATH).
  const keySet = keySetFrom([{ ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'bench', alg: 'RS256' }]);
  const verifyRs = createTokenVerifier(secret, keySet);
  const freshRs = Array.from({ length: 2000 }, (_, i) => signAsymmetric({ role: 'authenticated', sub: String(i) }, keySet.signer as NonNullable<typeof keySet.signer>));
  t0 = performance.now();
  for (const t of freshRs) await verifyRs(t);
  const rsUs = ((performance.now() - t0) * 1000) / freshRs.length;

  // A REST read's server CPU per request, with a user token (cached after the first use).
  const access = (await post('/auth/v1/token?grant_type=password', { email: 'u0@example.com', password: 'bench password' }))['access_token'] as string;
  const before = cpuTicks(server.pid as number);
  const reads = await loop(() => fetch(`${url}/rest/v1/`, { headers: { authorization: `Bearer ${access}` } }).then((r) => r.arrayBuffer()).then(() => undefined));
  const cpuUsPerRead = ((cpuTicks(server.pid as number) - before) * 10_000) / (reads * seconds);
  await sql.end();

  const row = (name: string, value: string, reference: string, ratio: string) => process.stdout.write(`${name.padEnd(34)} ${value.padStart(12)}   ${reference.padEnd(40)} ${ratio}\n`);
  process.stdout.write(`concurrency ${concurrency}, ${seconds}s per figure, server PostgreSQL\n`);
  row('password sign-ins/s', String(signIns), `bcrypt(cost 10) checks/s in PG: ${bcrypt}`, `ratio ${(signIns / bcrypt).toFixed(2)}`);
  row('refreshes/s', String(refreshes), `GET /auth/v1/health/s: ${health}`, `ratio ${(refreshes / health).toFixed(2)}`);
  row('token verification, new token', `${uncachedUs.toFixed(1)} µs`, `REST read server CPU: ${cpuUsPerRead.toFixed(0)} µs`, `share ${((uncachedUs / cpuUsPerRead) * 100).toFixed(1)}%`);
  row('token verification, new RS256 token', `${rsUs.toFixed(1)} µs`, `REST read server CPU: ${cpuUsPerRead.toFixed(0)} µs`, `share ${((rsUs / cpuUsPerRead) * 100).toFixed(1)}%`);
  row('token verification, cached token', `${cachedUs.toFixed(2)} µs`, `REST read server CPU: ${cpuUsPerRead.toFixed(0)} µs`, `share ${((cachedUs / cpuUsPerRead) * 100).toFixed(2)}%`);
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.on('exit', r));
  cluster.destroy();
  rmSync(dataDir, { recursive: true, force: true });
}
