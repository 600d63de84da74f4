// `gen types typescript` against the Supabase CLI's own generator: the blog example's
// migrations and the typegen fixture (test/fixtures/typegen) are applied, then the reference
// (`@supabase/postgres-meta`, run with the environment `supabase gen types --local` gives it)
// and Groundwork read the SAME database, and their files must be identical byte for byte.
// On the embedded database the reference connects through the database port.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from '../../src/lib/sql.ts';
import { generateTypescriptTypes } from '../../src/typegen/generate.ts';
import { dbEnv, runCli } from '../support/cli.ts';
import { dbKind } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const root = join(import.meta.dirname, '../..');
const blog = join(root, 'examples/blog');
const fixtures = join(root, 'test/fixtures/typegen');
const REFERENCE = join(root, 'node_modules/@supabase/postgres-meta/dist/server/server.js');

/** What `supabase gen types typescript --local [--schema …]` prints: pg-meta's output. */
function reference(url: string, schemas: readonly string[], postgrestVersion?: string): Promise<string> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    PG_META_DB_URL: url,
    PG_META_GENERATE_TYPES: 'typescript',
    PG_META_GENERATE_TYPES_INCLUDED_SCHEMAS: schemas.join(','),
    PG_META_GENERATE_TYPES_DETECT_ONE_TO_ONE_RELATIONSHIPS: 'true',
    PG_CONN_TIMEOUT_SECS: '30',
    PG_QUERY_TIMEOUT_SECS: '60',
    ...(postgrestVersion === undefined ? {} : { PG_META_POSTGREST_VERSION: postgrestVersion }),
  };
  const child = spawn(process.execPath, [REFERENCE], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) =>
    child.on('close', (code) => (code === 0 && stdout !== '' ? resolve(stdout) : reject(new Error(`reference generator exited ${code}: ${stderr}`)))),
  );
}

/** On a mismatch, the first differing line with some context: far easier to read than two 1,500-line strings. */
function assertSameFile(actual: string, expected: string): void {
  if (actual === expected) return;
  const a = actual.split('\n');
  const e = expected.split('\n');
  let i = 0;
  while (i < a.length && a[i] === e[i]) i++;
  const around = (lines: string[]) => lines.slice(Math.max(0, i - 4), i + 4).join('\n');
  assert.fail(`files differ at line ${i + 1}\n--- groundwork\n${around(a)}\n--- supabase\n${around(e)}`);
}

describe(`gen types typescript, byte for byte the Supabase CLI's file (${dbKind})`, () => {
  let s: TestServer;
  let url: string;
  let foreignTables = false;
  const ours = async (schemas: readonly string[], postgrestVersion?: string) =>
    `${await generateTypescriptTypes(s.gw.db.admin, { schemas, ...(postgrestVersion === undefined ? {} : { postgrestVersion }) })}\n`;

  before(async () => {
    s = await startTestServer({ projectDir: blog, env: dbKind === 'pglite' ? { GROUNDWORK_DB_PORT: '0' } : {} });
    await s.gw.db.admin.script(readFileSync(join(fixtures, 'rich.sql'), 'utf8'));
    // Foreign tables need an FDW with a handler; the embedded database loads none.
    const fdw = await s.gw.db.admin.query(sql`select 1 from pg_available_extensions where name = 'file_fdw'`);
    if (fdw.rowCount > 0) {
      await s.gw.db.admin.script(readFileSync(join(fixtures, 'foreign.sql'), 'utf8'));
      foreignTables = true;
    }
    const given = dbKind === 'pglite' ? s.gw.dbUrl : s.database.url;
    assert.ok(given, 'the reference needs a PostgreSQL URL');
    url = given;
  });
  after(() => s.stop());

  it('public: tables, views, functions, enums and composite types of the blog and the fixture', async () => {
    const [mine, theirs] = await Promise.all([ours(['public']), reference(url, ['public'])]);
    assertSameFile(mine, theirs);
    // The fixture's corners are there (the comparison alone would pass on two empty files).
    for (const expected of [
      'id?: never',
      'slug?: never',
      'payload: NonNullable<Json>',
      'shop_mood: "grumpy" | "content" | null',
      'secret: "low" | "high" | null',
      'isOneToOne: true',
      'referencedRelation: "author_names"',
      'book_stats: {',
      'Record<PropertyKey, never>',
      'Could not choose the best candidate function between',
      'from: "authors"',
      'author_book_count: number | null',
      'Returns: undefined',
      'app_role: ["user", "moderator", "admin"]',
    ]) {
      assert.ok(mine.includes(expected), `missing ${expected}`);
    }
    assert.equal(mine.includes('remote_things: {'), foreignTables);
  });

  it('several schemas, one that does not exist and one never generated (hidden) but referenced', async () => {
    const schemas = ['shop', 'public', 'graphql_public', 'pgmq_public', 'no_such_schema'];
    const [mine, theirs] = await Promise.all([ours(schemas), reference(url, schemas)]);
    assertSameFile(mine, theirs);
    assert.match(mine, /\n {2}shop: \{\n/);
    assert.match(mine, /send_batch: \{/);
    assert.ok(mine.includes('shop_mood: Database["shop"]["Enums"]["mood"] | null'));
  });

  it('the __InternalSupabase block, with a PostgREST version', async () => {
    const [mine, theirs] = await Promise.all([ours(['public'], '12.2.3 (519615d)'), reference(url, ['public'], '12.2.3 (519615d)')]);
    assertSameFile(mine, theirs);
    assert.match(mine, /__InternalSupabase: \{\n {4}PostgrestVersion: "12\.2\.3 \(519615d\)"\n {2}\}/);
  });

  it('the CLI prints it (default schemas: public and GROUNDWORK_DB_SCHEMAS) and writes it with --output', async () => {
    // On the embedded database a running start holds the data directory: the CLI goes through its port.
    const port: Record<string, string> = dbKind === 'pglite' ? { GROUNDWORK_DB_PORT: new URL(url).port } : {};
    const env: Record<string, string> = { ...dbEnv(s.database), ...port, GROUNDWORK_PROJECT_DIR: blog };
    const [printed, theirs] = await Promise.all([runCli(['gen', 'types', 'typescript', '--local'], env), reference(url, ['public', 'graphql_public', 'pgmq_public'])]);
    assert.equal(printed.code, 0, printed.stderr);
    assertSameFile(printed.stdout, theirs);

    const dir = mkdtempSync(join(tmpdir(), 'gw-typegen-'));
    try {
      const file = join(dir, 'database.types.ts');
      const written = await runCli(['gen', 'types', '--lang', 'typescript', '-s', 'public', '--schema', 'shop', '--output', file], env);
      assert.equal(written.code, 0, written.stderr);
      assert.equal(written.stdout, '');
      assert.match(written.stderr, /Wrote the types of public, shop to /);
      assertSameFile(readFileSync(file, 'utf8'), await reference(url, ['public', 'shop']));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses other languages and platform projects with a usage error', async () => {
    const env = dbEnv(s.database);
    const go = await runCli(['gen', 'types', '--lang', 'go'], env);
    assert.equal(go.code, 2);
    assert.match(go.stderr, /only typescript types can be generated \(got "go"\)/);
    const linked = await runCli(['gen', 'types', '--linked'], env);
    assert.equal(linked.code, 2);
    assert.match(linked.stderr, /--linked and --project-id read a Supabase platform project/);
  });
});
