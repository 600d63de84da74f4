// `db dump` and `db copy`: moving the project's embedded database to a PostgreSQL server.
// The work is in src/transfer; this file reads the flags and prints the outcome.
import type { Writable } from 'node:stream';
import { join } from 'node:path';
import type { Config } from '../config/load.ts';
import { postgresUrl } from '../config/schemas.ts';
import { redactUrl } from '../db/open.ts';
import { SECRET_FILE } from '../keys/jwt-secret.ts';
import { lineProgress } from '../lib/progress.ts';
import { TransferError } from '../transfer/errors.ts';
import { copyToServer, dumpToScript } from '../transfer/move.ts';
import { formatReport } from '../transfer/verify.ts';
import { UsageError } from './args.ts';
import type { CliIo } from './commands.ts';

const rowsOf = (written: ReadonlyArray<{ readonly rows: number }>) => written.reduce((sum, w) => sum + w.rows, 0).toLocaleString('en-US');

type Options = Readonly<Record<string, string | boolean>>;
const stringOption = (options: Options, name: string) => (typeof options[name] === 'string' ? options[name] : undefined);

export async function runDbDump(config: Config, io: CliIo, options: Options, stdout: Writable): Promise<void> {
  const file = stringOption(options, 'file');
  const { written } = await dumpToScript(config, file, stdout, lineProgress(io.progress));
  const what = `${written.length} tables, ${rowsOf(written)} rows`;
  if (file === undefined) {
    io.progress(`Dumped ${what}.\n`);
    return;
  }
  io.out(`Dumped ${what} to ${file}.`);
  io.out(`Load it into a database Groundwork has bootstrapped: psql -v ON_ERROR_STOP=1 -1 -f ${file} <url>`);
  io.out('(groundwork db copy --to <url> does both in one step).');
}

/** `--to`, checked as DATABASE_URL is: a postgres:// or postgresql:// URL. */
function targetUrl(to: string | undefined): string {
  if (to === undefined || to.trim() === '') throw new UsageError("'db copy' needs --to <postgres://user:password@host:port/database>", 'db copy');
  const parsed = postgresUrl.safeParse(to);
  if (!parsed.success) throw new UsageError(`--to ${parsed.error.issues[0]?.message ?? 'is invalid'}`, 'db copy');
  return parsed.data;
}

export async function runDbCopy(config: Config, io: CliIo, options: Options): Promise<void> {
  const url = targetUrl(stringOption(options, 'to'));
  const replace = options['replace'] === true;
  const { counts } = await copyToServer(config, url, { replace, onNotice: (message) => io.observe({ type: 'db-notice', message }) }, lineProgress(io.progress));
  io.out('');
  for (const line of formatReport(counts)) io.out(line);
  const differ = counts.filter((c) => c.source !== c.target).map((c) => c.table);
  if (differ.length > 0) throw new TransferError('counts-differ', `row counts differ on the target for ${differ.join(', ')}`);
  const secret = config.jwtSecret === undefined ? `JWT_SECRET set to the secret in ${join(config.dataDir, SECRET_FILE)}` : 'the same JWT_SECRET';
  io.out('');
  io.out(`Next: serve it with DATABASE_URL=${redactUrl(url)} and ${secret}`);
  io.out('(the API keys and signed-in sessions depend on it), then: groundwork start');
}
