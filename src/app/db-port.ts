// `start`'s PostgreSQL port for the embedded database (src/db/embedded/wire/): opened when
// configured, with the data directory's password. A server-mode start has none: clients
// connect to that server itself.
import { ConfigError, type Config } from '../config/load.ts';
import { settings } from '../config/settings.ts';
import { sessionHolderOf } from '../db/embedded/adapter.ts';
import { readOrCreateDbPassword } from '../db/embedded/wire/password.ts';
import { openDbPort, type DbPort } from '../db/embedded/wire/server.ts';
import type { Database } from '../db/port.ts';
import type { Observer } from '../observe/events.ts';

export async function startDbPort(config: Config, admin: Database, observe: Observer): Promise<DbPort | undefined> {
  const holder = sessionHolderOf(admin);
  if (config.dbPort === undefined || holder === undefined) return undefined;
  const { host, port, idleInTransactionTimeoutMs } = config.dbPort;
  const { password } = readOrCreateDbPassword(config.dataDir);
  try {
    return await openDbPort(holder, {
      host,
      port,
      password,
      idleTimeoutMs: idleInTransactionTimeoutMs,
      ended: (pid, problem) => observe({ type: 'db-port-connection-ended', pid, code: problem.code, message: problem.message }),
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EADDRNOTAVAIL' && code !== 'EACCES') throw e;
    throw new ConfigError(settings.dbPort.env, `${port} cannot be served on ${host} (${code}: another PostgreSQL or Groundwork?); choose another port, 0 for a free one, or off`);
  }
}

export type { DbPort };
