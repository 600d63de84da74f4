// What each command does, given the parsed arguments and the loaded config. Output goes
// through `out` (results) and `err` (progress, problems) so tests can capture it.
import { relative } from 'node:path';
import type { Config } from '../config/load.ts';
import { bootstrap } from '../bootstrap/run.ts';
import { openDatabase, redactUrl } from '../db/open.ts';
import type { Database } from '../db/port.ts';
import { deriveApiKeys } from '../keys/api-keys.ts';
import { deriveWebhookSecret } from '../keys/webhook-secret.ts';
import { lineProgress } from '../lib/progress.ts';
import { migrateUp, migrationStatus, newMigration } from '../migrations/runner.ts';
import { resetDatabase } from '../migrations/reset.ts';
import type { Observer } from '../observe/events.ts';
import { resolveJwtSecret } from '../app/secrets.ts';
import type { Groundwork } from '../app/start.ts';
import { UsageError } from './args.ts';

export interface CliIo {
  readonly out: (line: string) => void;
  /** Raw text to stderr, for progress lines written in pieces. */
  readonly progress: (text: string) => void;
  readonly observe: Observer;
}

export function describeDatabase(config: Config): string {
  return config.database.mode === 'embedded'
    ? `embedded PGlite (${config.dataDir}/data)`
    : `PostgreSQL server ${redactUrl(config.database.url)}`;
}

export function banner(gw: Groundwork, config: Config): string[] {
  const rows: Array<[string, string]> = [
    ['API URL', gw.url],
    ['Health URL', `${gw.url}/health`],
    ...(gw.dbUrl === undefined ? [] : [['DB URL', gw.dbUrl] as [string, string]]),
    ['Database', describeDatabase(config)],
    ['Data directory', config.dataDir],
    ['anon key', gw.keys.anon],
    ['service_role key', gw.keys.serviceRole],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return ['Groundwork is running.', '', ...rows.map(([k, v]) => `${k.padStart(width)}: ${v}`), ''];
}

async function withDatabase<T>(config: Config, io: CliIo, work: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(config, io.observe);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

export async function runKeys(config: Config, io: CliIo): Promise<void> {
  const keys = await deriveApiKeys(resolveJwtSecret(config));
  io.out(`anon key: ${keys.anon}`);
  io.out(`service_role key: ${keys.serviceRole}`);
  io.out(`webhook secret: ${config.jobs.webhookSecret ?? deriveWebhookSecret(resolveJwtSecret(config))}`);
}

export function runMigrateNew(config: Config, io: CliIo, name: string): void {
  const path = newMigration(config.projectDir, name, new Date());
  io.out(`Created ${relative(process.cwd(), path)}`);
}

export async function runMigrateUp(config: Config, io: CliIo): Promise<void> {
  const progress = lineProgress(io.progress);
  await withDatabase(config, io, async (db) => {
    const done = progress.step('Bootstrapping roles, schemas and auth');
    await bootstrap(db);
    done();
    const { applied } = await migrateUp(db, config.projectDir, progress);
    // Running servers on this database reload their schema cache.
    await db.script(`notify pgrst, 'reload schema'`);
    io.out(`Applied ${applied.length} migration${applied.length === 1 ? '' : 's'}.`);
  });
}

export async function runMigrateStatus(config: Config, io: CliIo): Promise<void> {
  await withDatabase(config, io, async (db) => {
    const states = await migrationStatus(db, config.projectDir);
    if (states.length === 0) {
      io.out('No migrations (supabase/migrations is empty).');
      return;
    }
    const labels = { applied: 'applied', pending: 'pending', drift: 'drift: file changed since it was applied', missing: 'missing: applied, but the file is gone' };
    const width = Math.max(...states.map((s) => s.name.length), 4);
    io.out(`${'VERSION'.padEnd(14)}  ${'NAME'.padEnd(width)}  STATUS`);
    for (const s of states) io.out(`${s.version}  ${s.name.padEnd(width)}  ${labels[s.status]}`);
    const count = (st: string) => states.filter((s) => s.status === st).length;
    io.out(`\n${count('applied')} applied, ${count('pending')} pending, ${count('drift')} drift, ${count('missing')} missing`);
  });
}

export async function runDbReset(config: Config, io: CliIo, yes: boolean): Promise<void> {
  if (config.database.mode === 'server' && !yes) {
    throw new UsageError(`'db reset' drops every schema of ${redactUrl(config.database.url)}; add --yes to confirm`, 'db reset');
  }
  await withDatabase(config, io, async (db) => {
    await resetDatabase(db, config.projectDir, lineProgress(io.progress));
    await db.script(`notify pgrst, 'reload schema'`);
  });
  io.out('Database reset.');
}
