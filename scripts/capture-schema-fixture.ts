// Regenerates the introspection documents that let planner tests build a schema cache
// without a database: src/schema-cache/fixtures/blog.json (the example blog app) and
// src/rest/plan/fixtures/cinema.json (test/fixtures/rest).
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
const fixtures = [
  ['examples/blog', 'src/schema-cache/fixtures/blog.json'],
  ['test/fixtures/rest', 'src/rest/plan/fixtures/cinema.json'],
] as const;

type Doc = { relations: Array<{ schema: string }>; foreignKeys: Array<{ schema: string }>; routines: Array<{ schema: string }> };

async function capture(project: string, out: string): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-fixture-'));
  const db = await openEmbeddedDatabase({ dataDir });
  try {
    await bootstrap(db);
    await migrateUp(db, join(root, project), silentProgress);
    const { rows } = await db.query<{ cache: Doc }>(introspectionQuery);
    const doc = rows[0]?.cache;
    if (doc === undefined) throw new Error('introspection returned nothing');
    // Keep the project's own objects and auth; extension functions would only add noise.
    const keep = (o: { schema: string }) => o.schema === 'public' || o.schema === 'auth';
    const trimmed = { ...doc, relations: doc.relations.filter(keep), foreignKeys: doc.foreignKeys.filter(keep), routines: doc.routines.filter(keep) };
    writeFileSync(join(root, out), `${JSON.stringify(trimmed, null, 2)}\n`);
    console.log(`${out}: ${trimmed.relations.length} relations, ${trimmed.foreignKeys.length} foreign keys, ${trimmed.routines.length} routines`);
  } finally {
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

for (const [project, out] of fixtures) await capture(project, out);
