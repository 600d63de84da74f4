// Starts a real Groundwork server on a test database, on a free port.
import type { FastifyInstance } from 'fastify';
import { startGroundwork, type Groundwork, type StartOptions } from '../../src/app/start.ts';
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
  const events: Observation[] = [];
  const gw = await startGroundwork(database.config, {
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

export type { FastifyInstance };
