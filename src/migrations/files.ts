// The Supabase CLI's migration layout: supabase/migrations/<14-digit version>_<name>.sql.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MigrationFile {
  readonly version: string;
  readonly name: string;
  readonly file: string;
  readonly path: string;
}

export const MIGRATION_FILE = /^(\d{14})_(.+)\.sql$/;

export function migrationsDir(projectDir: string): string {
  return join(projectDir, 'supabase', 'migrations');
}

export function seedFile(projectDir: string): string {
  return join(projectDir, 'supabase', 'seed.sql');
}

/** Migration files in version order, and the .sql files skipped for a malformed name. */
export function listMigrationFiles(dir: string): { files: MigrationFile[]; skipped: string[] } {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { files: [], skipped: [] };
    throw e;
  }
  const files: MigrationFile[] = [];
  const skipped: string[] = [];
  for (const file of names.sort()) {
    if (!file.endsWith('.sql')) continue;
    const m = MIGRATION_FILE.exec(file);
    if (m === null) skipped.push(file);
    else files.push({ version: m[1] as string, name: m[2] as string, file, path: join(dir, file) });
  }
  return { files, skipped };
}

export function readSql(path: string): string {
  return readFileSync(path, 'utf8');
}

/** A version stamp in UTC, as the Supabase CLI writes them: YYYYMMDDHHMMSS. */
export function versionStamp(now: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
}

/** Turns a free-form name into the file-name part: lower case, words joined by underscores. */
export function slugify(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}
