// Regenerates src/schema-cache/fixtures/blog.json: the introspection document of the
// example blog app, so planner tests can build a schema cache without a database.
// Run: npx tsx scripts/capture-schema-fixture.ts
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap } from '../src/bootstrap/run.ts';
import { openEmbeddedDatabase } from '../src/db/embedded/adapter.ts';
import { silentProgress } from '../src/lib/progress.ts';
import { migrateUp } from '../src/migrations/runner.ts';
import { introspectionQuery } from '../src/schema-cache/introspect.ts';

const root = join(import.meta.dirname, '..');
const dataDir = mkdtempSync(join(tmpdir(), 'gw-fixture-'));
const db = await openEmbeddedDatabase({ dataDir });
try {
  await bootstrap(db);
  await migrateUp(db, join(root, 'examples/blog'), silentProgress);
  const { rows } = await db.query<{ cache: { relations: Array<{ schema: string }>; foreignKeys: Array<{ schema: string }>; routines: Array<{ schema: string }> } }>(introspectionQuery);
  const doc = rows[0]?.cache;
  if (doc === undefined) throw new Error('introspection returned nothing');
  // Keep the project's own objects and auth; extension functions would only add noise.
  const keep = (o: { schema: string }) => o.schema === 'public' || o.schema === 'auth';
  const trimmed = { ...doc, relations: doc.relations.filter(keep), foreignKeys: doc.foreignKeys.filter(keep), routines: doc.routines.filter(keep) };
  writeFileSync(join(root, 'src/schema-cache/fixtures/blog.json'), `${JSON.stringify(trimmed, null, 2)}\n`);
  console.log(`wrote ${trimmed.relations.length} relations, ${trimmed.foreignKeys.length} foreign keys, ${trimmed.routines.length} routines`);
} finally {
  await db.close();
  rmSync(dataDir, { recursive: true, force: true });
}
