// The `groundwork` command as a user runs it against a database: keys, the migration
// workflow, reset, and `start` with its banner and graceful stop. Argument and
// configuration mistakes, which need no database, are in src/cli/cli-process.test.ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { deriveWebhookSecret } from '../../src/keys/webhook-secret.ts';
import { deriveApiKeys } from '../../src/keys/api-keys.ts';
import { collect, dbEnv, runCli, spawnCli } from '../support/cli.ts';
import { createTestDatabase, dbKind, TEST_JWT_SECRET, type TestDatabase } from '../support/db.ts';

describe(`groundwork CLI: database commands (${dbKind})`, () => {
  let t: TestDatabase;
  let project: string;
  let env: Record<string, string>;
  before(async () => {
    project = mkdtempSync(join(tmpdir(), 'gw-cli-project-'));
    t = await createTestDatabase({ projectDir: project });
    env = { ...dbEnv(t), GROUNDWORK_PROJECT_DIR: project };
  });
  after(async () => {
    await t.dispose();
    rmSync(project, { recursive: true, force: true });
  });

  it('prints the keys for the configured secret', async () => {
    const r = await runCli(['keys'], env);
    assert.equal(r.code, 0);
    const keys = await deriveApiKeys(TEST_JWT_SECRET);
    assert.equal(r.stdout, `anon key: ${keys.anon}\nservice_role key: ${keys.serviceRole}\nwebhook secret: ${deriveWebhookSecret(TEST_JWT_SECRET)}\n`);
  });

  if (dbKind === 'pglite') {
    it('generates the secret once in embedded mode and keeps it private', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'gw-secret-'));
      const first = await runCli(['keys'], { GROUNDWORK_DATA_DIR: dataDir });
      const second = await runCli(['keys'], { GROUNDWORK_DATA_DIR: dataDir });
      assert.equal(first.code, 0);
      assert.equal(first.stdout, second.stdout);
      assert.equal(statSync(join(dataDir, 'jwt-secret')).mode & 0o777, 0o600);
      assert.ok(readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim().length >= 32);
      rmSync(dataDir, { recursive: true, force: true });
    });
  }

  it('runs the migration workflow: new, status, up, drift', async () => {
    const created = await runCli(['migrate', 'new', 'create todos'], env);
    assert.equal(created.code, 0);
    const [file] = readdirSync(join(project, 'supabase/migrations'));
    assert.match(file ?? '', /^\d{14}_create_todos\.sql$/);
    assert.match(created.stdout, /^Created .*_create_todos\.sql\n$/);
    const path = join(project, 'supabase/migrations', file as string);
    writeFileSync(path, 'create table public.todos (id serial primary key, title text not null);\n');

    const pending = await runCli(['migrate', 'status'], env);
    assert.match(pending.stdout, /create_todos\s+pending\n/);
    assert.match(pending.stdout, /0 applied, 1 pending, 0 drift, 0 missing/);

    const up = await runCli(['migrate', 'up'], env);
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stderr, new RegExp(`Applying migration ${file} \\(1/1\\) \\.\\.\\. done \\(\\d+ ms\\)`));
    assert.equal(up.stdout, 'Applied 1 migration.\n');

    writeFileSync(path, 'create table public.todos (id serial primary key, title text not null, done boolean);\n');
    const drift = await runCli(['migrate', 'status'], env);
    assert.match(drift.stdout, /create_todos\s+drift: file changed since it was applied\n/);
    writeFileSync(path, 'create table public.todos (id serial primary key, title text not null);\n');
  });

  it('reports a failing migration with its file and line, and exits 1', async () => {
    const bad = join(project, 'supabase/migrations/29990101000000_bad.sql');
    writeFileSync(bad, 'create table public.half (id int);\ninsert into public.half values (1, 2);\n');
    const r = await runCli(['migrate', 'up'], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\.\.\. failed \(\d+ ms\)\n/);
    assert.match(r.stderr, /groundwork: migration failed, rolled back: supabase\/migrations\/29990101000000_bad\.sql:2: ERROR: INSERT has more expressions than target columns \(SQLSTATE 42601\)\n$/);
    rmSync(bad);
  });

  it('resets the database (with --yes on a server)', async () => {
    writeFileSync(join(project, 'supabase/seed.sql'), "insert into public.todos (title) values ('seeded');\n");
    if (dbKind === 'postgres') {
      const refused = await runCli(['db', 'reset'], env);
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /drops every schema of postgres:\/\/.*; add --yes to confirm/);
    }
    const r = await runCli(['db', 'reset', '--yes'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Dropping schemas \.\.\. dropped \d+/);
    assert.match(r.stderr, /Seeding data from supabase\/seed\.sql \.\.\. done/);
    assert.equal(r.stdout, 'Database reset.\n');
    const status = await runCli(['migrate', 'status'], env);
    assert.match(status.stdout, /1 applied, 0 pending/);
  });

  it('starts, prints what supabase start prints, serves /health and stops on SIGTERM', async () => {
    const child = spawnCli(['start'], { ...env, PORT: '0', ...(dbKind === 'pglite' ? { GROUNDWORK_DB_PORT: '0' } : {}) });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    const done = collect(child);
    for (let i = 0; i < 300 && !out.includes('service_role key'); i++) await new Promise((r) => setTimeout(r, 50));
    const url = /API URL: (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    assert.ok(url, out);
    const keys = await deriveApiKeys(TEST_JWT_SECRET);
    assert.match(out, new RegExp(`anon key: ${keys.anon}`));
    assert.match(out, new RegExp(`service_role key: ${keys.serviceRole}`));
    assert.match(out, dbKind === 'pglite' ? /Database: embedded PGlite \(.*\/data\)/ : /Database: PostgreSQL server postgres:\/\/postgres:\*{5}@127\.0\.0\.1:\d+\/gw_/);
    assert.match(out, /Data directory: \//);
    // The embedded database's port, with the data directory's password; none on a server.
    const dbUrl = /DB URL: (\S+)/.exec(out)?.[1];
    if (dbKind === 'pglite') {
      const password = readFileSync(join(t.config.dataDir, 'db-password'), 'utf8').trim();
      assert.match(dbUrl ?? '', new RegExp(`^postgresql://postgres:${password}@127\\.0\\.0\\.1:\\d+/postgres$`));
      const client = postgres(dbUrl ?? '', { max: 1 });
      assert.deepEqual([...(await client`select 1 as one`)], [{ one: 1 }]);
      await client.end();
    } else {
      assert.equal(dbUrl, undefined);
    }
    assert.equal((await fetch(`${url}/health`)).status, 200);
    child.kill('SIGTERM');
    const r = await done;
    assert.equal(r.code, 0);
  });
});
