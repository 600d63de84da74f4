// Starts a real Groundwork server on a test database, on a free port.
import type { FastifyInstance } from 'fastify';
import { startGroundwork, type Groundwork, type StartOptions } from '../../src/app/start.ts';
import { resolveConfig, type Config } from '../../src/config/load.ts';
import { silentProgress } from '../../src/lib/progress.ts';
import type { Observation } from '../../src/observe/events.ts';
import { createTestDatabase, type TestDatabase, type TestDatabaseOptions } from './db.ts';

export interface TestServer {
  readonly gw: Groundwork;
  readonly url: string;
  readonly database: TestDatabase;
  readonly events: Observation[];
  stop(): Promise<void>;
}

export async function startTestServer(
  options: TestDatabaseOptions & { register?: StartOptions['register']; database?: TestDatabase } = {},
): Promise<TestServer> {
  const database = options.database ?? (await createTestDatabase(options));
  // A second node on an existing database: same database, its own settings.
  const config = options.database !== undefined && options.env !== undefined ? { ...database.config, ...overlay(database, options.env) } : database.config;
  const events: Observation[] = [];
  const gw = await startGroundwork(config, {
    observe: (e) => events.push(e),
    progress: silentProgress,
    ...(options.register === undefined ? {} : { register: options.register }),
  });
  return {
    gw,
    url: gw.url,
    database,
    events,
    stop: async () => {
      await gw.close();
      if (options.database === undefined) await database.dispose();
    },
  };
}

/** The config a node would get from `env` on top of the database's. */
function overlay(database: TestDatabase, env: Record<string, string>): Partial<Config> {
  const c = resolveConfig({
    flags: {},
    env: { JWT_SECRET: database.config.jwtSecret ?? '', PORT: '0', ...(database.url === undefined ? {} : { DATABASE_URL: database.url }), GROUNDWORK_DATA_DIR: database.config.dataDir, ...env },
    cwd: database.config.projectDir,
    readFile: () => undefined,
  });
  return { auth: c.auth, rest: c.rest, smtp: c.smtp, sms: c.sms };
}

export type { FastifyInstance };
