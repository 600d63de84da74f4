// `db reset`: drop every schema the project and Groundwork made, then build the database
// again from nothing: bootstrap, migrations, seed. Roles are cluster-wide and stay.
import { ident, join, sql } from '../lib/sql.ts';
import type { Progress } from '../lib/progress.ts';
import type { Database } from '../db/port.ts';
import { bootstrap } from '../bootstrap/run.ts';
import { migrateUp, runSeed } from './runner.ts';

export async function dropProjectSchemas(db: Database): Promise<string[]> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ name: string }>(sql`
      select nspname as name from pg_namespace
      where nspname not in ('pg_catalog', 'information_schema') and nspname not like 'pg\\_%'
      order by nspname`);
    const names = rows.map((r) => r.name);
    if (names.length > 0) await tx.query(sql`drop schema ${join(names.map((n) => ident(n)))} cascade`);
    // public comes back as a fresh PostgreSQL creates it.
    await tx.script(`
      create schema public;
      alter schema public owner to pg_database_owner;
      grant usage on schema public to public;
      comment on schema public is 'standard public schema';`);
    return names;
  });
}

export async function resetDatabase(db: Database, projectDir: string, progress: Progress): Promise<void> {
  let done = progress.step('Dropping schemas');
  const dropped = await dropProjectSchemas(db);
  done(`dropped ${dropped.length}`);
  done = progress.step('Bootstrapping roles, schemas and auth');
  await bootstrap(db);
  done();
  await migrateUp(db, projectDir, progress);
  if (!(await runSeed(db, projectDir, progress))) progress.info('No supabase/seed.sql: nothing to seed.');
}
