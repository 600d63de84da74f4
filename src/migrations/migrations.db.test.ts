import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { sql } from '../lib/sql.ts';
import { silentProgress, type Progress } from '../lib/progress.ts';
import { openTestDatabase, dbKind } from '../../test/support/db.ts';
import { openDatabase } from '../db/open.ts';
import type { Database } from '../db/port.ts';
import { MigrationError, migrateUp, migrationStatus, newMigration, runSeed } from './runner.ts';
import { resetDatabase } from './reset.ts';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gw-project-'));
  mkdirSync(join(dir, 'supabase', 'migrations'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'supabase', name), text);
  return dir;
}

const tables = async (db: Database) =>
  (await db.query<{ t: string }>(sql`select tablename as t from pg_tables where schemaname = 'public' order by 1`)).rows.map((r) => r.t);

function recording(): Progress & { lines: string[] } {
  const lines: string[] = [];
  return { lines, step: (label) => (outcome = 'done') => lines.push(`${label}: ${outcome}`), info: (m) => lines.push(m) };
}

describe(`migrations (${dbKind})`, () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Database;
  let dir: string;
  before(async () => {
    t = await openTestDatabase();
    db = t.db;
    dir = project({
      'migrations/20250101000000_first.sql': '-- the first one\ncreate table public.a (id int primary key);\ninsert into public.a values (1);\n',
      'migrations/20250102000000_second.sql': 'begin;\ncreate table public.b (id int);\ncommit;\n',
      'migrations/notes.sql': 'this is not a migration',
      'migrations/README.md': 'ignored',
      'seed.sql': 'insert into public.a values (2);\ninsert into public.b values (20);\n',
    });
  });
  after(async () => {
    await t.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies pending migrations in order, each recorded with its statements', async () => {
    const progress = recording();
    assert.deepEqual(await migrateUp(db, dir, progress), { applied: ['20250101000000', '20250102000000'], firstRun: true });
    assert.deepEqual(await tables(db), ['a', 'b']);
    const { rows } = await db.query(sql`select version, name, to_jsonb(statements) as statements from supabase_migrations.schema_migrations order by version`);
    assert.deepEqual(rows, [
      { version: '20250101000000', name: 'first', statements: ['create table public.a (id int primary key)', 'insert into public.a values (1)'] },
      { version: '20250102000000', name: 'second', statements: ['create table public.b (id int)'] },
    ]);
    assert.ok(progress.lines.some((l) => l.startsWith('Skipping notes.sql')));
    assert.ok(progress.lines.includes('Applying migration 20250101000000_first.sql (1/2): done'));
    assert.deepEqual(await migrateUp(db, dir, silentProgress), { applied: [], firstRun: false }, 'nothing left to apply');
  });

  it('reports applied, pending, drift and missing', async () => {
    writeFileSync(join(dir, 'supabase/migrations/20250103000000_third.sql'), 'create table public.c (id int);');
    appendFileSync(join(dir, 'supabase/migrations/20250102000000_second.sql'), 'create index on public.b (id);\n');
    await db.query(sql`insert into supabase_migrations.schema_migrations (version, name, statements) values ('20241231000000', 'gone', '{}')`);
    assert.deepEqual(await migrationStatus(db, dir), [
      { version: '20241231000000', name: 'gone', status: 'missing' },
      { version: '20250101000000', name: 'first', status: 'applied' },
      { version: '20250102000000', name: 'second', status: 'drift' },
      { version: '20250103000000', name: 'third', status: 'pending' },
    ]);
    await db.query(sql`delete from supabase_migrations.schema_migrations where version = '20241231000000'`);
  });

  it('rolls a failing migration back whole and names the file, the line and the error', async () => {
    const file = 'supabase/migrations/20250104000000_broken.sql';
    writeFileSync(join(dir, file), 'create table public.d (id int);\n\ninsert into public.d\n  values (1);\nselect *\n  from public.nope;\n');
    const e = await migrateUp(db, dir, silentProgress).catch((x: unknown) => x);
    assert.ok(e instanceof MigrationError, String(e));
    assert.equal(e.file, file);
    assert.equal(e.line, 6, 'the line of the error position, not just of the statement');
    assert.equal(e.dbError.sqlstate, '42P01');
    assert.equal(e.message, `${file}:6: ERROR: relation "public.nope" does not exist (SQLSTATE 42P01)`);
    assert.deepEqual(await tables(db), ['a', 'b', 'c'], 'third applied before it; nothing of the broken one left');
    const versions = (await db.query<{ version: string }>(sql`select version from supabase_migrations.schema_migrations order by 1`)).rows.map((r) => r.version);
    assert.deepEqual(versions, ['20250101000000', '20250102000000', '20250103000000']);
    unlinkSync(join(dir, file));
  });

  it('reports the statement line when the error has no position', async () => {
    writeFileSync(join(dir, 'supabase/migrations/20250105000000_dup.sql'), '\n\ninsert into public.a values (1);\n');
    const e = await migrateUp(db, dir, silentProgress).catch((x: unknown) => x);
    assert.ok(e instanceof MigrationError);
    assert.equal(e.line, 3);
    assert.match(e.message, /duplicate key value violates unique constraint "a_pkey" \(SQLSTATE 23505\)\nDETAIL: Key \(id\)=\(1\) already exists\./);
    unlinkSync(join(dir, 'supabase/migrations/20250105000000_dup.sql'));
  });

  it('lets two runners at once apply each migration exactly once', async () => {
    writeFileSync(join(dir, 'supabase/migrations/20250106000000_race.sql'), 'create table public.race (id int);');
    // Same database: on PostgreSQL a second pool, on PGlite the same handle (one session).
    const second = dbKind === 'postgres' ? await openDatabase(t.config, () => undefined) : db;
    try {
      const results = await Promise.all([migrateUp(db, dir, silentProgress), migrateUp(second, dir, silentProgress)]);
      assert.equal(results.flatMap((r) => r.applied).filter((v) => v === '20250106000000').length, 1);
      assert.ok((await tables(db)).includes('race'));
    } finally {
      if (second !== db) await second.close();
    }
  });

  it('runs the seed in one transaction', async () => {
    assert.equal(await runSeed(db, dir, silentProgress), true);
    assert.deepEqual((await db.query(sql`select id from public.a order by id`)).rows, [{ id: 1 }, { id: 2 }]);
    writeFileSync(join(dir, 'supabase/seed.sql'), "insert into public.a values (3);\ninsert into public.a values ('x');\n");
    const e = await runSeed(db, dir, silentProgress).catch((x: unknown) => x);
    assert.ok(e instanceof MigrationError);
    assert.equal(e.file, 'supabase/seed.sql');
    assert.equal(e.line, 2);
    assert.deepEqual((await db.query(sql`select id from public.a order by id`)).rows, [{ id: 1 }, { id: 2 }], 'the seed rolled back whole');
  });

  it('creates new migration files named like the Supabase CLI does', () => {
    const path = newMigration(dir, 'Add Users & Roles!', new Date(Date.UTC(2026, 10, 21, 9, 5, 7)));
    assert.equal(basename(path), '20261121090507_add_users_roles.sql');
    assert.match(readFileSync(path, 'utf8'), /^-- Migration: Add Users & Roles!/);
    assert.throws(() => newMigration(dir, 'Add Users & Roles!', new Date(Date.UTC(2026, 10, 21, 9, 5, 7))), /already exists/);
    assert.throws(() => newMigration(dir, '!!!', new Date()), /not a usable migration name/);
    unlinkSync(path);
  });

  it('db reset rebuilds the database from migrations and seed', async () => {
    writeFileSync(join(dir, 'supabase/migrations/20250102000000_second.sql'), 'create table public.b (id int);\n');
    writeFileSync(join(dir, 'supabase/seed.sql'), 'insert into public.a values (2);\ninsert into auth.users (id) values (gen_random_uuid());\n');
    await db.script("create schema app; create table app.extra (x int); insert into auth.users (id, email) values (gen_random_uuid(), 'old@example.com');");
    const progress = recording();
    await resetDatabase(db, dir, progress);
    assert.deepEqual(await tables(db), ['a', 'b', 'c', 'race']);
    assert.deepEqual((await db.query(sql`select id from public.a order by id`)).rows, [{ id: 1 }, { id: 2 }]);
    const schemas = await db.query(sql`select count(*)::int as n from pg_namespace where nspname = 'app'`);
    assert.equal(schemas.rows[0]?.['n'], 0, 'schemas made outside migrations are gone');
    assert.equal((await db.query(sql`select count(*)::int as n from auth.users`)).rows[0]?.['n'], 1, 'auth data reset, then seeded');
    assert.ok(progress.lines.some((l) => l.startsWith('Dropping schemas: dropped')));
    assert.ok(progress.lines.includes('Seeding data from supabase/seed.sql: done'));
    const grants = await db.query(sql`select has_table_privilege('anon', 'public.a', 'select') as ok`);
    assert.deepEqual(grants.rows[0], { ok: true }, 'default privileges come back with the bootstrap');
  });
});
