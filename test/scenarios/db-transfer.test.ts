// `groundwork db dump` and `db copy`: an embedded project moves to PostgreSQL. On the
// PostgreSQL run, the transfer fixture (every object kind a dump carries, rows that are hard
// to carry) goes through the CLI both ways, by copy and by a script psql loads, and each
// table is compared with the source: definition, privileges, policies, triggers, rows.
// Then the blog example moves with a user who signed up through the API, and Groundwork in
// server mode serves its rows and signs that user in. On the PGlite run: what the commands
// refuse (a data directory in use, none at all, DATABASE_URL set, rows they cannot move).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGroundwork, type Groundwork } from '../../src/app/start.ts';
import { resolveConfig, type Config } from '../../src/config/load.ts';
import { openEmbeddedDatabase } from '../../src/db/embedded/adapter.ts';
import { openServerDatabase } from '../../src/db/server/adapter.ts';
import { silentProgress } from '../../src/lib/progress.ts';
import { migrateUp, runSeed } from '../../src/migrations/runner.ts';
import { dbEnv, runCli } from '../support/cli.ts';
import { createTestDatabase, dbKind, openTestDatabase, quiet, TEST_JWT_SECRET, type TestDatabase } from '../support/db.ts';
import { snapshotProject, type DatabaseSnapshot } from '../support/db-snapshot.ts';
import { findPgBin } from '../support/pg-cluster.ts';
import { prepareTemplate } from '../support/pglite-template.ts';
import { supabase } from '../support/supabase.ts';

const fixture = join(import.meta.dirname, '../fixtures/transfer');
const blog = join(import.meta.dirname, '../../examples/blog');
const password = 'correct horse';

/** A new embedded data directory, bootstrapped, with `project`'s migrations and seed applied. */
async function embeddedProject(project: string | undefined): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-transfer-src-'));
  await prepareTemplate(dataDir);
  if (project !== undefined) {
    const db = await openEmbeddedDatabase({ dataDir });
    try {
      await migrateUp(db, project, silentProgress);
      await runSeed(db, project, silentProgress);
    } finally {
      await db.close();
    }
  }
  return dataDir;
}

async function snapshotEmbedded(dataDir: string): Promise<DatabaseSnapshot> {
  const db = await openEmbeddedDatabase({ dataDir });
  return snapshotProject(db).finally(() => db.close());
}

async function snapshotServer(url: string): Promise<DatabaseSnapshot> {
  const db = openServerDatabase({ url, poolSize: 1, connectTimeoutSeconds: 10 });
  return snapshotProject(db).finally(() => db.close());
}

/**
 * PostgreSQL 16 stopped qualifying a view's columns with their relation when it prints the
 * view (`profiles.id` became `id`): the same view, printed two ways.
 */
function normalizeView(text: unknown): unknown {
  return typeof text === 'string' ? text.replace(/(?<![\w."])(?!(?:public|private|auth|extensions|pg_catalog)\.)[a-z_][a-z0-9_]*\.(?=[a-z_])/g, '') : text;
}

/** Every relation and object of `target` equals `source`'s, compared one table at a time. */
function assertSameProject(source: DatabaseSnapshot, target: DatabaseSnapshot): void {
  assert.deepEqual(Object.keys(target.relations), Object.keys(source.relations));
  for (const [name, want] of Object.entries(source.relations)) {
    const got = target.relations[name];
    assert.deepEqual({ ...got, view: normalizeView(got?.['view']) }, { ...want, view: normalizeView(want['view']) }, `table ${name} differs`);
  }
  for (const [aspect, want] of Object.entries(source.objects)) assert.deepEqual(target.objects[aspect], want, `${aspect} differ`);
}

function configFor(env: Record<string, string>, projectDir: string): Config {
  return resolveConfig({
    flags: {},
    // No database port: test files run side by side.
    env: { JWT_SECRET: TEST_JWT_SECRET, PORT: '0', LOG_LEVEL: 'silent', GROUNDWORK_DB_PORT: 'off', ...env },
    cwd: projectDir,
    readFile: (path) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined),
  });
}

const start = (config: Config): Promise<Groundwork> => startGroundwork(config, { observe: quiet, progress: silentProgress });

if (dbKind === 'postgres') {
  describe('db dump and db copy move an embedded project to PostgreSQL (postgres)', () => {
    let dataDir: string;
    let source: DatabaseSnapshot;
    const targets: TestDatabase[] = [];
    const env = () => ({ GROUNDWORK_DATA_DIR: dataDir });
    before(async () => {
      dataDir = await embeddedProject(fixture);
      source = await snapshotEmbedded(dataDir);
    });
    after(async () => {
      for (const t of targets) await t.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const target = async (fresh: boolean) => {
      const t = await createTestDatabase({ fresh });
      targets.push(t);
      return t.url as string;
    };

    it('copies schema, rows, Auth users and the migration history in one command, each table equal to the source', async () => {
      const url = await target(true);
      const r = await runCli(['db', 'copy', '--to', url], env());
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /^Checking the target \.\.\. empty \(\d+ ms\)\nBootstrapping the target \.\.\. v0 → v\d+ \(\d+ ms\)\nReading the schema \.\.\. 8 tables, 2 views, 1 materialized view, 6 functions, 4 types/);
      assert.match(r.stderr, /\nCopying public\.notes \.\.\. 4 rows \(\d+ ms\)\n/);
      assert.match(r.stdout, /\nTABLE +SOURCE +TARGET\n/);
      for (const [table, n] of [['auth.users', 2], ['public.profiles', 2], ['public.notes', 4], ['public.empty_shape', 2], ['supabase_migrations.schema_migrations', 2]] as const) {
        assert.match(r.stdout, new RegExp(`\\n${table.replace('.', '\\.')} +${n} +${n}\\n`));
      }
      assert.match(r.stdout, /\n18 tables, 20 rows: every row count matches\.\n/);
      assert.match(r.stdout, /Next: serve it with DATABASE_URL=postgres:\/\/postgres:\*{5}@127\.0\.0\.1:\d+\/gw_\w+ and JWT_SECRET set to the secret in .*\/jwt-secret\n/);
      assertSameProject(source, await snapshotServer(url));
    });

    it('writes a script (mode 0600) that psql loads into a bootstrapped database, each table equal to the source', async () => {
      const url = await target(false);
      const dir = mkdtempSync(join(tmpdir(), 'gw-dump-'));
      try {
        const file = join(dir, 'project.sql');
        const r = await runCli(['db', 'dump', '--file', file], env());
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, new RegExp(`^Dumped 18 tables, 20 rows to ${file}\\.\\nLoad it into a database Groundwork has bootstrapped: psql`));
        assert.equal(statSync(file).mode & 0o777, 0o600);
        assert.equal(existsSync(`${file}.partial`), false);
        const psql = spawnSync(join(findPgBin(), 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-1', '-f', file, url], { encoding: 'utf8' });
        assert.equal(psql.status, 0, psql.stderr);
        assertSameProject(source, await snapshotServer(url));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('writes the script to standard output without --file, progress to standard error', async () => {
      const r = await runCli(['db', 'dump'], env());
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^--\n-- Groundwork dump: PostgreSQL 18\.\d+, 8 tables/);
      assert.match(r.stdout, /\ncopy "public"."notes" \("id", "owner", "body", "during", "priority"\) from stdin;\n/);
      assert.match(r.stderr, /\nDumped 18 tables, 20 rows\.\n$/);
    });

    it('refuses a target that holds a project (exit 1, nothing written), and replaces it with --replace', async () => {
      const url = await target(true);
      assert.equal((await runCli(['db', 'copy', '--to', url], env())).code, 0);
      const again = await runCli(['db', 'copy', '--to', url], env());
      assert.equal(again.code, 1);
      assert.match(again.stderr, /Checking the target \.\.\. holds 19 objects \(private\.audit, private\.touch\(\), public\.cache, public\.card\(\), public\.double_it\(\), …\), 2 auth users, 2 applied migrations \(\d+ ms\)\n/);
      assert.match(again.stderr, /\ngroundwork: the target already holds a project: .*; copy into an empty database, or add --replace to drop the target's schemas first\n$/);
      const replaced = await runCli(['db', 'copy', '--to', url, '--replace'], env());
      assert.equal(replaced.code, 0, replaced.stderr);
      assert.match(replaced.stderr, /\nDropping the target's schemas \(--replace\) \.\.\. dropped \d+ \(\d+ ms\)\n/);
      assertSameProject(source, await snapshotServer(url));
    });
  });

  describe('after db copy, Groundwork in server mode serves the moved blog (postgres)', () => {
    it('serves the same rows through REST and signs in the user who signed up on the embedded database', async () => {
      const dataDir = await embeddedProject(undefined);
      const target = await createTestDatabase({ fresh: true });
      let server: Groundwork | undefined;
      try {
        // Embedded: the blog's migrations and seed, then a user signs up through the API and writes.
        const embedded = await start(configFor({ GROUNDWORK_DATA_DIR: dataDir, GROUNDWORK_AUTH_AUTOCONFIRM: 'true' }, blog));
        const signUp = await supabase(embedded.url, embedded.keys.anon).auth.signUp({ email: 'carol@example.com', password });
        assert.equal(signUp.error, null);
        const carolId = signUp.data.user?.id as string;
        const carol = supabase(embedded.url, embedded.keys.anon, signUp.data.session?.access_token);
        assert.equal((await carol.from('profiles').insert({ id: carolId, username: 'carol' })).error, null);
        assert.equal((await carol.from('posts').insert({ author_id: carolId, title: 'Moving day', published: false })).error, null);
        const before = await supabase(embedded.url, embedded.keys.anon).from('posts').select('id, title').order('title');
        const refreshToken = signUp.data.session?.refresh_token as string;
        await embedded.close();

        const r = await runCli(['db', 'copy', '--to', target.url as string], { GROUNDWORK_DATA_DIR: dataDir, JWT_SECRET: TEST_JWT_SECRET });
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /\nauth\.users +3 +3\n/);
        assert.match(r.stdout, /and the same JWT_SECRET\n/);

        server = await start(configFor({ DATABASE_URL: target.url as string }, blog));
        const anon = supabase(server.url, server.keys.anon);
        const after = await anon.from('posts').select('id, title').order('title');
        assert.equal(after.error, null);
        assert.deepEqual(after.data, before.data);
        assert.equal(after.data?.length, 2); // the published ones; drafts stay hidden

        const signIn = await anon.auth.signInWithPassword({ email: 'carol@example.com', password });
        assert.equal(signIn.error, null);
        assert.equal(signIn.data.user?.id, carolId);
        const claims = JSON.parse(Buffer.from((signIn.data.session?.access_token ?? '').split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
        assert.equal(claims['user_role'], 'user'); // the moved access token hook ran
        const asCarol = supabase(server.url, server.keys.anon, signIn.data.session?.access_token);
        const own = await asCarol.from('posts').select('title').eq('author_id', carolId);
        assert.deepEqual(own.data, [{ title: 'Moving day' }]);
        // Identity sequences continue after the moved rows (the seed made comments 1 and 2).
        const post = (await anon.from('posts').select('id').eq('title', 'Hello from Alice').single()).data as { id: string };
        const comment = await asCarol.from('comments').insert({ post_id: post.id, author_id: carolId, body: 'Moved!' }).select('id').single();
        assert.equal(comment.error, null);
        assert.equal((comment.data as { id: number }).id, 3);
        // The session made on the embedded database goes on: its refresh token works here.
        const refreshed = await anon.auth.refreshSession({ refresh_token: refreshToken });
        assert.equal(refreshed.error, null);
        assert.equal(refreshed.data.user?.email, 'carol@example.com');
      } finally {
        await server?.close();
        await target.dispose();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
}

if (dbKind === 'pglite') {
  describe('db dump and db copy: what they refuse (pglite)', () => {
    it('refuses a data directory a running Groundwork holds, naming the process', async () => {
      const t = await openTestDatabase();
      try {
        const r = await runCli(['db', 'dump'], dbEnv(t));
        assert.equal(r.code, 1);
        assert.match(r.stderr, new RegExp(`^groundwork: the data directory is in use by another Groundwork process \\(pid ${process.pid}\\); stop it first`));
        assert.equal(r.stdout, '');
      } finally {
        await t.dispose();
      }
    });

    it('says when there is no embedded database to read, when the file cannot be written, and when DATABASE_URL points elsewhere', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gw-transfer-none-'));
      try {
        const none = await runCli(['db', 'copy', '--to', 'postgres://127.0.0.1:1/x'], { GROUNDWORK_DATA_DIR: dir });
        assert.equal(none.code, 1);
        assert.equal(none.stderr, `groundwork: no embedded database in ${dir}/data: start Groundwork on the project once, or point --data-dir (GROUNDWORK_DATA_DIR) at its data directory\n`);
        const unwritable = await runCli(['db', 'dump', '--file', join(dir, 'missing/out.sql')], { GROUNDWORK_DATA_DIR: dir });
        assert.equal(unwritable.code, 1);
        assert.match(unwritable.stderr, /^groundwork: cannot write .*\/missing\/out\.sql\.partial: ENOENT: no such file or directory/);
        const server = await runCli(['db', 'dump'], { GROUNDWORK_DATA_DIR: dir, DATABASE_URL: 'postgres://u:secret@127.0.0.1:1/x', JWT_SECRET: TEST_JWT_SECRET });
        assert.equal(server.code, 1);
        assert.match(server.stderr, /^groundwork: this command reads the project's embedded database, but DATABASE_URL is set \(postgres:\/\/u:\*{5}@127\.0\.0\.1:1\/x\)/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('stops before writing when rows cannot be moved, and warns about objects it leaves out', async () => {
      const t = await createTestDatabase();
      const dir = mkdtempSync(join(tmpdir(), 'gw-dump-'));
      const script = async (text: string) => {
        const db = await openEmbeddedDatabase({ dataDir: t.config.dataDir });
        await db.script(text).finally(() => db.close());
      };
      try {
        await script(`
          create aggregate public.total(integer) (sfunc = int4pl, stype = integer, initcond = '0');
          create table public.measurements (at date not null, value int) partition by range (at);
          create table public.measurements_2026 partition of public.measurements for values from ('2026-01-01') to ('2027-01-01');`);
        const file = join(dir, 'out.sql');
        const r = await runCli(['db', 'dump', '--file', file], dbEnv(t));
        assert.equal(r.code, 1);
        assert.match(r.stderr, /groundwork: the project holds rows that cannot be moved yet: partitioned table public\.measurements, table public\.measurements_2026 \(inheritance or partition\)/);
        assert.equal(existsSync(file), false);
        assert.equal(existsSync(`${file}.partial`), false);

        await script('drop table public.measurements');
        const ok = await runCli(['db', 'dump', '--file', file], dbEnv(t));
        assert.equal(ok.code, 0, ok.stderr);
        assert.match(ok.stderr, /\nWarning: not moved \(not supported yet\): aggregate public\.total; recreate it on the target by hand\n/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await t.dispose();
      }
    });
  });
}
