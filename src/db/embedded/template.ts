// A new data directory is made from a copy of a freshly initialised one, kept in the cache
// directory: PostgreSQL's initdb costs seconds in WebAssembly, copying its result (about
// 40 MB of files) a few tens of milliseconds. The copy is taken the first time a data
// directory is initialised, after a clean shutdown, one per PGlite version (its data
// directory format is tied to it). Kept as plain files, not a tarball: PGlite would load a
// tarball through its JavaScript heap, which then stays in the process's memory.
import { cpSync, existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** The template's directory for the installed PGlite, or undefined when nothing is kept. */
export function templatePath(cacheDir: string | undefined): string | undefined {
  if (cacheDir === undefined) return undefined;
  const pkg = new URL('../package.json', import.meta.resolve('@electric-sql/pglite'));
  const { version } = JSON.parse(readFileSync(pkg, 'utf8')) as { version: string };
  return join(cacheDir, `pglite-${version}-initdb`);
}

/** Fills the new data directory `pgdata` from the template; false when there is none (or it cannot be copied). */
export function copyTemplate(template: string, pgdata: string): boolean {
  if (!existsSync(join(template, 'PG_VERSION'))) return false;
  try {
    cpSync(template, pgdata, { recursive: true });
    return true;
  } catch {
    rmSync(pgdata, { recursive: true, force: true });
    return false;
  }
}

/** Keeps a copy of `pgdata` (closed cleanly, never used) as the template: whole or not at all; best effort. */
export function keepTemplate(pgdata: string, template: string): void {
  const aside = `${template}.${process.pid}.tmp`;
  try {
    cpSync(pgdata, aside, { recursive: true });
    renameSync(aside, template); // fails if another process kept one meanwhile: theirs stays
  } catch {
    // A template is only a shortcut: without one the next new data directory runs initdb.
  }
  rmSync(aside, { recursive: true, force: true });
}

/** Drops a template whose copy did not open, so the next new data directory runs initdb and keeps a new one. */
export function dropTemplate(template: string): void {
  rmSync(template, { recursive: true, force: true });
}
