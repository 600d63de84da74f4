// The two moves a project makes when it outgrows one machine: `db dump` writes its
// embedded database as a SQL script; `db copy` loads it into a PostgreSQL server in one
// transaction and checks every table's row count there.
import { createWriteStream, openSync, renameSync, rmSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import type { Config } from '../config/load.ts';
import type { Progress } from '../lib/progress.ts';
import { bootstrap } from '../bootstrap/run.ts';
import { dropProjectSchemas } from '../migrations/reset.ts';
import { dumpDatabase, stepped, type DumpResult } from './dump.ts';
import { TransferError } from './errors.ts';
import { databaseSink, scriptSink } from './sinks.ts';
import { openSource } from './source.ts';
import { openTarget, projectOnTarget } from './target.ts';
import { countOnTarget, type TableCount } from './verify.ts';

type SourceConfig = Pick<Config, 'database' | 'dataDir'>;

/**
 * Writes the dump to `file` (mode 0600: it holds password hashes), through a temporary
 * name so a failed dump leaves no file that looks whole; or to `stdout` without one.
 */
export async function dumpToScript(config: SourceConfig, file: string | undefined, stdout: Writable, progress: Progress): Promise<DumpResult> {
  if (file === undefined) {
    const source = await openSource(config);
    try {
      return await dumpDatabase(source, scriptSink(stdout), progress);
    } finally {
      await source.close();
    }
  }
  const partial = `${file}.partial`;
  let fd: number;
  try {
    fd = openSync(partial, 'w', 0o600);
  } catch (e) {
    throw new TransferError('cannot-write', `cannot write ${partial}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const out = createWriteStream(partial, { fd });
  try {
    const source = await openSource(config);
    try {
      const result = await dumpDatabase(source, scriptSink(out), progress);
      out.end();
      await finished(out);
      renameSync(partial, file);
      return result;
    } finally {
      await source.close();
    }
  } catch (e) {
    out.destroy();
    rmSync(partial, { force: true });
    throw e;
  }
}

export interface CopyOptions {
  /** Drop the target's schemas first, whatever they hold. */
  readonly replace: boolean;
  readonly onNotice?: (message: string) => void;
}

export interface CopyResult {
  readonly dump: DumpResult;
  readonly counts: readonly TableCount[];
}

/**
 * Copies the project into the database at `url`. The target is bootstrapped first (its own
 * transaction: it is Groundwork's, and idempotent); the schema and every row then go in one
 * transaction, so a failure leaves the target as it was. Throws `counts-differ` after the
 * report is made when any table's count differs.
 */
export async function copyToServer(config: SourceConfig, url: string, options: CopyOptions, progress: Progress): Promise<CopyResult> {
  const source = await openSource(config);
  const target = openTarget(url, options.onNotice);
  try {
    const held = await stepped(
      progress,
      'Checking the target',
      async () => {
        await target.ping();
        return projectOnTarget(target);
      },
      (h) => (h.length === 0 ? 'empty' : `holds ${h.join(', ')}`),
    );
    if (held.length > 0 && !options.replace) {
      throw new TransferError('target-not-empty', `the target already holds a project: ${held.join(', ')}; copy into an empty database, or add --replace to drop the target's schemas first`);
    }
    if (held.length > 0) await stepped(progress, "Dropping the target's schemas (--replace)", () => dropProjectSchemas(target), (d) => `dropped ${d.length}`);
    await stepped(progress, 'Bootstrapping the target', () => bootstrap(target), (b) => (b.from === b.to ? 'already done' : `v${b.from} → v${b.to}`));
    // The whole load is one transaction on the target: a failure leaves it as it was.
    const dump = await target.transaction((tx) => dumpDatabase(source, databaseSink(tx), progress));
    const counts = await stepped(progress, 'Counting rows on the target', () => countOnTarget(target, dump.catalog.data));
    return { dump, counts };
  } finally {
    await target.close();
    await source.close();
  }
}
