// A bootstrapped PGlite data directory that database tests copy instead of running initdb
// and the bootstrap again for every file (seconds each).
import { bootstrap } from '../../src/bootstrap/run.ts';
import { openEmbeddedDatabase } from '../../src/db/embedded/adapter.ts';

export async function prepareTemplate(dataDir: string): Promise<void> {
  const db = await openEmbeddedDatabase({ dataDir });
  try {
    await bootstrap(db);
  } finally {
    await db.close();
  }
}
