// Applies migrations the way the Supabase CLI records them: each file in its own
// transaction together with its row in supabase_migrations.schema_migrations, so a crash
// leaves the database exactly before or after a migration. Several nodes may start at
// once: an advisory lock and a re-check make each migration run once.
import { writeFileSync, mkdirSync, existsSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sql } from '../lib/sql.ts';
import type { Progress } from '../lib/progress.ts';
import { DbError } from '../db/errors.ts';
import type { Database, Queryable } from '../db/port.ts';
import { listMigrationFiles, migrationsDir, readSql, seedFile, slugify, versionStamp } from './files.ts';
import { providedExtension } from './provided.ts';
import { lineAt, splitStatements, type Statement } from './split.ts';

const MIGRATIONS_LOCK = 7_270_002;

/** A statement of a migration or seed file failed; the whole file was rolled back. */
export class MigrationError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly dbError: DbError,
  ) {
    const extra = [dbError.detail && `DETAIL: ${dbError.detail}`, dbError.hint && `HINT: ${dbError.hint}`].filter(Boolean).join('\n');
    super(`${file}:${line}: ERROR: ${dbError.message} (SQLSTATE ${dbError.sqlstate})${extra ? `\n${extra}` : ''}`);
    this.name = 'MigrationError';
  }
}

export type MigrationStatus = 'applied' | 'pending' | 'drift' | 'missing';

export interface MigrationState {
  readonly version: string;
  readonly name: string;
  readonly status: MigrationStatus;
}

interface Applied {
  readonly version: string;
  readonly name: string;
  readonly statements: readonly string[];
}

const TRANSACTION_CONTROL = /^(begin|start\s+transaction|commit|end|rollback)\b(\s+(work|transaction))?\s*$/i;

async function appliedMigrations(db: Queryable): Promise<Map<string, Applied>> {
  const exists = await db.query<{ t: string | null }>(sql`select to_regclass('supabase_migrations.schema_migrations')::text as t`);
  if (exists.rows[0]?.t == null) return new Map();
  const { rows } = await db.query<{ version: string; name: string | null; statements: string[] | null }>(
    sql`select version, name, to_jsonb(statements) as statements from supabase_migrations.schema_migrations order by version`,
  );
  return new Map(rows.map((r) => [r.version, { version: r.version, name: r.name ?? '', statements: r.statements ?? [] }]));
}

function statementsOf(path: string): Statement[] {
  return splitStatements(readSql(path)).filter((s) => !TRANSACTION_CONTROL.test(s.text));
}

export async function migrationStatus(db: Database, projectDir: string): Promise<MigrationState[]> {
  const applied = await appliedMigrations(db);
  const { files } = listMigrationFiles(migrationsDir(projectDir));
  const states: MigrationState[] = files.map((f) => {
    const a = applied.get(f.version);
    if (a === undefined) return { version: f.version, name: f.name, status: 'pending' };
    const now = statementsOf(f.path).map((s) => s.text);
    const same = now.length === a.statements.length && now.every((t, i) => t === a.statements[i]);
    return { version: f.version, name: f.name, status: same ? 'applied' : 'drift' };
  });
  const onDisk = new Set(files.map((f) => f.version));
  for (const a of applied.values()) if (!onDisk.has(a.version)) states.push({ version: a.version, name: a.name, status: 'missing' });
  return states.sort((x, y) => x.version.localeCompare(y.version));
}

/** Runs a file's statements in `tx`, turning a failure into a MigrationError with its line. */
async function runStatements(tx: Queryable, file: string, statements: readonly Statement[]): Promise<void> {
  for (const s of statements) {
    if (providedExtension(s.text) !== undefined) continue;
    try {
      await tx.script(s.text);
    } catch (e) {
      if (!(e instanceof DbError)) throw e;
      const line = e.position === undefined ? s.line : s.line + lineAt(s.text, e.position - 1) - 1;
      throw new MigrationError(file, line, e);
    }
  }
}

/**
 * One migration in one transaction with its row, under the migrations lock; false when
 * another node applied it meanwhile. `beforeCommit` runs last inside the transaction.
 */
async function applyOne(
  db: Database,
  label: string,
  f: { readonly version: string; readonly name: string },
  statements: readonly Statement[],
  beforeCommit?: () => void,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.query(sql`select pg_advisory_xact_lock(${MIGRATIONS_LOCK})`);
    const again = await tx.query(sql`select 1 from supabase_migrations.schema_migrations where version = ${f.version}`);
    if (again.rowCount > 0) return false; // another node applied it meanwhile
    await runStatements(tx, label, statements);
    const texts = JSON.stringify(statements.map((s) => s.text));
    await tx.query(sql`insert into supabase_migrations.schema_migrations (version, name, statements)
      values (${f.version}, ${f.name}, array(select jsonb_array_elements_text(${texts}::jsonb)))`);
    beforeCommit?.();
    return true;
  });
}

async function ensureMigrationsTable(db: Database): Promise<boolean> {
  const table = await db.query<{ t: string | null }>(sql`select to_regclass('supabase_migrations.schema_migrations')::text as t`);
  if (table.rows[0]?.t != null) return false;
  await db.script(`
    create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (version text not null primary key, statements text[], name text);`);
  return true;
}

/**
 * A new migration from SQL text (the MCP `apply_migration` tool): applied and recorded in one
 * transaction, its file written into supabase/migrations/ just before the commit (and removed
 * if the commit fails), so the database and the folder agree as `migrate new` + `migrate up`
 * would leave them. Returns the file's path.
 */
/** A migration name's file-name part; a name with no letters or digits is refused. */
function migrationSlug(name: string): string {
  const slug = slugify(name);
  if (slug === '') throw new Error(`"${name}" is not a usable migration name: use letters, digits and underscores`);
  return slug;
}

export async function applyNewMigration(db: Database, projectDir: string, name: string, text: string, now: Date): Promise<string> {
  const slug = migrationSlug(name);
  const dir = migrationsDir(projectDir);
  await ensureMigrationsTable(db);
  const statements = splitStatements(text).filter((s) => !TRANSACTION_CONTROL.test(s.text));
  const taken = new Set(listMigrationFiles(dir).files.map((f) => f.version));
  // Two migrations within one second (an assistant applying them back to back) get the next free second.
  for (let second = 0; second < 60; second++) {
    const version = versionStamp(new Date(now.getTime() + second * 1000));
    if (taken.has(version)) continue;
    const path = join(dir, `${version}_${slug}.sql`);
    let written = false;
    try {
      const ran = await applyOne(db, relative(projectDir, path), { version, name: slug }, statements, () => {
        mkdirSync(dir, { recursive: true });
        writeFileSync(path, text.endsWith('\n') ? text : `${text}\n`, { flag: 'wx' });
        written = true;
      });
      if (ran) return path;
    } catch (e) {
      if (written) rmSync(path, { force: true });
      throw e;
    }
  }
  throw new Error('no free migration version in the next minute; try again');
}

export interface MigrateResult {
  readonly applied: string[];
  /** This run created the migrations table: the project had never been migrated here. */
  readonly firstRun: boolean;
}

export async function migrateUp(db: Database, projectDir: string, progress: Progress): Promise<MigrateResult> {
  const dir = migrationsDir(projectDir);
  const { files, skipped } = listMigrationFiles(dir);
  for (const f of skipped) progress.info(`Skipping ${f}: migration file names must look like <14-digit timestamp>_<name>.sql`);
  // Only when missing: even a no-op DDL statement costs a start on PGlite (83 ms measured).
  const firstRun = await ensureMigrationsTable(db);
  const already = await appliedMigrations(db);
  const pending = files.filter((f) => !already.has(f.version));
  if (pending.length === 0) progress.info('Migrations: database is up to date.');
  const applied: string[] = [];
  for (const [i, f] of pending.entries()) {
    const done = progress.step(`Applying migration ${f.file} (${i + 1}/${pending.length})`);
    const ran = await applyOne(db, relative(projectDir, f.path), f, statementsOf(f.path)).catch((e: unknown) => {
      done('failed');
      throw e;
    });
    done(ran ? 'done' : 'applied by another node');
    if (ran) applied.push(f.version);
  }
  return { applied, firstRun };
}

/** Runs supabase/seed.sql in one transaction; false when the project has none. */
export async function runSeed(db: Database, projectDir: string, progress: Progress): Promise<boolean> {
  const path = seedFile(projectDir);
  if (!existsSync(path)) return false;
  const statements = statementsOf(path);
  const done = progress.step(`Seeding data from ${relative(projectDir, path)}`);
  await db.transaction((tx) => runStatements(tx, relative(projectDir, path), statements)).catch((e: unknown) => {
    done('failed');
    throw e;
  });
  done();
  return true;
}

/** Writes an empty, timestamped migration file and returns its path. */
export function newMigration(projectDir: string, name: string, now: Date): string {
  const slug = migrationSlug(name);
  const dir = migrationsDir(projectDir);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${versionStamp(now)}_${slug}.sql`);
  if (existsSync(path)) throw new Error(`${relative(projectDir, path)} already exists`);
  writeFileSync(path, `-- Migration: ${name}\n`, { flag: 'wx' });
  return path;
}
