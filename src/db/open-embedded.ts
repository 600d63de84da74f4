// The embedded database's admin connection from the configuration. Its own module, with
// nothing of the server adapter's, so that `groundwork start` can begin opening PGlite
// (most of an embedded start) before it loads the rest of the server.
import type { Config } from '../config/load.ts';
import type { Observer } from '../observe/events.ts';
import { openEmbeddedDatabase } from './embedded/adapter.ts';
import type { Database } from './port.ts';

export function openEmbedded(config: Pick<Config, 'dataDir' | 'embedded'>, observe: Observer): Promise<Database> {
  return openEmbeddedDatabase({
    dataDir: config.dataDir,
    sharedBuffers: config.embedded.sharedBuffers,
    ...(config.embedded.cacheDir === undefined ? {} : { cacheDir: config.embedded.cacheDir }),
    onRestart: ({ reason, ms }) => observe({ type: 'db-worker-restarted', reason, ms }),
  });
}
