// Picks the adapter the configuration asks for.
import type { Config } from '../config/load.ts';
import type { Observer } from '../observe/events.ts';
import { openEmbeddedDatabase } from './embedded/adapter.ts';
import type { Database } from './port.ts';
import { openServerDatabase } from './server/adapter.ts';

export async function openDatabase(config: Pick<Config, 'database' | 'dataDir' | 'dbPoolSize'>, observe: Observer): Promise<Database> {
  if (config.database.mode === 'embedded') return openEmbeddedDatabase({ dataDir: config.dataDir });
  return openServerDatabase({
    url: config.database.url,
    poolSize: config.dbPoolSize,
    connectTimeoutSeconds: 10,
    onNotice: (message) => observe({ type: 'db-notice', message }),
  });
}

/** The URL with its password hidden, for banners and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '*****';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}
