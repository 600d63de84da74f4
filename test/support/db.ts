// Gives each test file its own database of the kind the harness chose (GW_TEST_DB):
// a copy of the bootstrapped PGlite template, or a new database on the harness's cluster.
// Run a file directly (without the harness) and it uses PGlite, building a template once.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { resolveConfig, type Config } from '../../src/config/load.ts';
import { bootstrap } from '../../src/bootstrap/run.ts';
import { openDatabase } from '../../src/db/open.ts';
import type { Database } from '../../src/db/port.ts';
import { prepareTemplate } from './pglite-template.ts';

export type TestDbKind = 'pglite' | 'postgres';
export const dbKind: TestDbKind = process.env.GW_TEST_DB === 'postgres' ? 'postgres' : 'pglite';
export const TEST_JWT_SECRET = 'groundwork-test-secret-groundwork-test-secret';
export const quiet = () => undefined;

let template: Promise<string> | undefined;
function pgliteTemplate(): Promise<string> {
  const given = process.env.GW_TEST_PGLITE_TEMPLATE;
  if (given !== undefined) return Promise.resolve(given);
  template ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-pglite-template-'));
    await prepareTemplate(dir);
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    return dir;
  })();
  return template;
}

export interface TestDatabase {
  readonly config: Config;
  /** For server mode: the database URL; undefined in embedded mode. */
  readonly url: string | undefined;
  dispose(): Promise<void>;
}

export interface TestDatabaseOptions {
  readonly projectDir?: string;
  /** Start from a database that was never bootstrapped (slow on PGlite: a real initdb). */
  readonly fresh?: boolean;
  readonly env?: Record<string, string>;
}

/** Functions' Deno cache is shared by every test (npm packages download once), and npm's registry is Deno's. */
export function functionsRuntimeEnv(): Record<string, string> {
  const registry = process.env.NPM_CONFIG_REGISTRY ?? process.env.npm_config_registry;
  return {
    DENO_DIR: process.env.DENO_DIR ?? join(import.meta.dirname, '..', '..', 'node_modules', '.cache', 'groundwork-deno'),
    ...(registry === undefined ? {} : { NPM_CONFIG_REGISTRY: registry }),
    ...(process.env.HOME === undefined ? {} : { HOME: process.env.HOME }),
    ...Object.fromEntries(['NODE_EXTRA_CA_CERTS', 'HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'DENO_CERT', 'DENO_TLS_CA_STORE'].flatMap((n) => (process.env[n] === undefined ? [] : [[n, process.env[n] as string]]))),
  };
}

export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-test-'));
  // No database port unless a test asks for one (GROUNDWORK_DB_PORT=0): test files run side by side.
  const env: Record<string, string> = { JWT_SECRET: TEST_JWT_SECRET, PORT: '0', LOG_LEVEL: 'silent', GROUNDWORK_DB_PORT: 'off', GROUNDWORK_DATA_DIR: dataDir, ...functionsRuntimeEnv(), ...options.env };
  let url: string | undefined;
  let drop = async () => undefined as void;
  if (dbKind === 'pglite') {
    if (options.fresh !== true) cpSync(join(await pgliteTemplate(), 'data'), join(dataDir, 'data'), { recursive: true });
  } else {
    const admin = process.env.GW_TEST_PG_URL;
    if (admin === undefined) throw new Error('GW_TEST_DB=postgres needs GW_TEST_PG_URL (run the tests through `npm test`)');
    const name = `gw_${randomBytes(6).toString('hex')}`;
    const sql = postgres(admin, { max: 1, onnotice: quiet });
    await sql.unsafe(`create database ${name}`);
    await sql.end();
    const u = new URL(admin);
    u.pathname = `/${name}`;
    url = u.toString();
    env['DATABASE_URL'] = url;
    drop = async () => {
      const s = postgres(admin, { max: 1, onnotice: quiet });
      await s.unsafe(`drop database if exists ${name} with (force)`);
      await s.end();
    };
  }
  const config = resolveConfig({ flags: {}, env, cwd: options.projectDir ?? dataDir, readFile: () => undefined });
  if (dbKind === 'postgres' && options.fresh !== true) {
    const db = await openDatabase(config, quiet);
    await bootstrap(db).finally(() => db.close());
  }
  return {
    config,
    url,
    dispose: async () => {
      await drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A test database and an open connection to it. */
export async function openTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase & { db: Database }> {
  const t = await createTestDatabase(options);
  const db = await openDatabase(t.config, quiet);
  return {
    ...t,
    db,
    dispose: async () => {
      await db.close();
      await t.dispose();
    },
  };
}
