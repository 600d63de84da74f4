// The server the fuzzer talks to: a running Groundwork on the fixture project, with what
// the oracle needs around it (the credentials, the admin connection for snapshots, the
// server's own record of unexpected errors). `startFuzzTarget` starts one on a throwaway
// database for `npm run fuzz`; the scenario test wraps the test harness's server instead.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGroundwork, type Groundwork } from '../../src/app/start.ts';
import { resolveConfig } from '../../src/config/load.ts';
import { silentProgress } from '../../src/lib/progress.ts';
import type { Observation } from '../../src/observe/events.ts';
import { startPgCluster } from '../support/pg-cluster.ts';
import { BODY_LIMIT } from './gen/bodies.ts';
import { FUZZ_USER } from './gen/schema.ts';
import type { Credentials } from './gen/tokens.ts';
import { snapshotRows, type Snapshot } from './snapshot.ts';

export const FIXTURE_DIR = join(import.meta.dirname, 'fixture');
export const FUZZ_JWT_SECRET = 'groundwork-fuzz-secret-groundwork-fuzz-secret';

/** The server's settings for a fuzz run: more of the API switched on, Auth's rate limits off (so requests reach the flows, not a 429). */
export const FUZZ_ENV: Readonly<Record<string, string>> = {
  GROUNDWORK_BODY_LIMIT: String(BODY_LIMIT),
  GROUNDWORK_DB_SCHEMAS: 'public,other',
  GROUNDWORK_DB_AGGREGATES_ENABLED: 'true',
  GROUNDWORK_DB_PLAN_ENABLED: 'true',
  GROUNDWORK_AUTH_AUTOCONFIRM: 'true',
  GROUNDWORK_AUTH_ANONYMOUS_SIGN_INS: 'true',
  GROUNDWORK_AUTH_PHONE_ENABLED: 'true',
  GROUNDWORK_AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS: '0',
  GROUNDWORK_AUTH_RATE_LIMIT_TOKEN_REFRESH: '0',
  GROUNDWORK_AUTH_RATE_LIMIT_MFA: '0',
};

export interface FuzzTarget {
  readonly label: string;
  readonly url: string;
  readonly creds: Credentials;
  snapshot(): Promise<Snapshot>;
  /** The stack of an unexpected error the server logged for this request id, if any. */
  serverError(requestId: string): string | undefined;
  stop(): Promise<void>;
}

/** Signs the fixture's user in, for a real session token and refresh token. */
async function signIn(url: string, anonKey: string): Promise<Credentials['session']> {
  try {
    const res = await fetch(`${url}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { apikey: anonKey, 'content-type': 'application/json' },
      body: JSON.stringify({ email: FUZZ_USER.email, password: FUZZ_USER.password }),
    });
    const body = (await res.json()) as { access_token?: unknown; refresh_token?: unknown };
    if (typeof body.access_token === 'string' && typeof body.refresh_token === 'string') return { accessToken: body.access_token, refreshToken: body.refresh_token };
  } catch {
    // run without a session: minted tokens stand in
  }
  return undefined;
}

function stackOf(e: unknown): string {
  return e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
}

/** Wraps a started Groundwork (its observations collected in `events`) as a target. */
export async function targetOf(label: string, gw: Groundwork, events: readonly Observation[], stop: () => Promise<void>): Promise<FuzzTarget> {
  const session = await signIn(gw.url, gw.keys.anon);
  return {
    label,
    url: gw.url,
    creds: { anonKey: gw.keys.anon, serviceKey: gw.keys.serviceRole, jwtSecret: gw.jwtSecret, ...(session === undefined ? {} : { session }) },
    snapshot: () => snapshotRows(gw.db.admin),
    serverError: (id) => {
      for (let i = events.length - 1; i >= 0; i--) {
        const e = events[i];
        if (e?.type === 'request-failed' && e.requestId === id) return stackOf(e.error);
      }
      return undefined;
    },
    stop,
  };
}

/** A fresh server on a throwaway database: PGlite in a temporary directory, or a new PostgreSQL cluster. */
export async function startFuzzTarget(db: 'pglite' | 'postgres'): Promise<FuzzTarget> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-fuzz-'));
  const cluster = db === 'postgres' ? await startPgCluster() : undefined;
  const cleanup = () => {
    cluster?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const env: Record<string, string> = { ...FUZZ_ENV, JWT_SECRET: FUZZ_JWT_SECRET, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', GROUNDWORK_DB_PORT: 'off', GROUNDWORK_DATA_DIR: dataDir };
    if (cluster !== undefined) env['DATABASE_URL'] = cluster.url;
    const config = resolveConfig({ flags: {}, env, cwd: FIXTURE_DIR, readFile: () => undefined });
    // Only the observations the report needs: unexpected errors, with their stacks.
    const events: Observation[] = [];
    const gw = await startGroundwork(config, { observe: (e) => (e.type === 'request-failed' ? events.push(e) : undefined), progress: silentProgress });
    return await targetOf(db, gw, events, async () => {
      try {
        await gw.close();
      } finally {
        cleanup();
      }
    });
  } catch (e) {
    cleanup();
    throw e;
  }
}
