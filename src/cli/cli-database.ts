// The database for a command that works beside a running server (`secrets`, `mcp`, `gen
// types`): opened directly, or, when a running embedded start holds the data directory,
// through that start's database port.
import type { Config } from '../config/load.ts';
import { bootstrap } from '../bootstrap/run.ts';
import { DataDirLockedError } from '../db/embedded/lock.ts';
import { readOrCreateDbPassword } from '../db/embedded/wire/password.ts';
import { openDatabase } from '../db/open.ts';
import type { Database } from '../db/port.ts';
import type { CliIo } from './commands.ts';

export async function withCliDatabase<T>(config: Config, io: Pick<CliIo, 'observe'>, work: (db: Database) => Promise<T>): Promise<T> {
  let db: Database;
  try {
    db = await openDatabase(config, io.observe);
    await bootstrap(db);
  } catch (e) {
    if (!(e instanceof DataDirLockedError) || config.dbPort === undefined || config.dbPort.port === 0) throw e;
    const { password } = readOrCreateDbPassword(config.dataDir);
    const host = config.dbPort.host === '0.0.0.0' ? '127.0.0.1' : config.dbPort.host;
    const url = `postgresql://postgres:${encodeURIComponent(password)}@${host}:${config.dbPort.port}/postgres`;
    db = await openDatabase({ ...config, database: { mode: 'server', url, adminUrl: url } }, io.observe);
  }
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}
