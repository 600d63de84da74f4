// The project's embedded database, opened for a dump: only while no Groundwork runs on it
// (the data directory's lock says so), and only if there is one to read.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/load.ts';
import { redactUrl } from '../db/open.ts';
import { openEmbeddedDatabase } from '../db/embedded/adapter.ts';
import type { Database } from '../db/port.ts';
import { TransferError } from './errors.ts';

export async function openSource(config: Pick<Config, 'database' | 'dataDir'>): Promise<Database> {
  if (config.database.mode === 'server') {
    throw new TransferError(
      'server-mode',
      `this command reads the project's embedded database, but DATABASE_URL is set (${redactUrl(config.database.url)}): unset it for this command (pg_dump copies a server)`,
    );
  }
  const pgdata = join(config.dataDir, 'data');
  if (!existsSync(join(pgdata, 'PG_VERSION'))) {
    throw new TransferError('no-embedded-database', `no embedded database in ${pgdata}: start Groundwork on the project once, or point --data-dir (GROUNDWORK_DATA_DIR) at its data directory`);
  }
  // Throws DataDirLockedError while a Groundwork server holds the directory.
  return openEmbeddedDatabase({ dataDir: config.dataDir });
}
