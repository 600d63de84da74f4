// `gen types [typescript]`: the TypeScript types of the project's database, the file
// `supabase gen types typescript --local` prints. Flags use Supabase's names. The types go to
// standard output (or --output); anything else goes to standard error.
import { writeFileSync } from 'node:fs';
import type { Config } from '../config/load.ts';
import { nameList, postgresUrl } from '../config/schemas.ts';
import { openDatabase } from '../db/open.ts';
import type { Database } from '../db/port.ts';
import { UsageError } from './args.ts';
import { withCliDatabase } from './cli-database.ts';
import type { CliIo } from './commands.ts';

const COMMAND = 'gen types';

type Options = Readonly<Record<string, string | boolean>>;

export interface GenTypesRequest {
  readonly schemas: readonly string[];
  readonly output: string | undefined;
  /** Generate from this PostgreSQL database instead of the project's (Supabase's --db-url). */
  readonly dbUrl: string | undefined;
  readonly postgrestVersion: string | undefined;
  readonly detectOneToOne: boolean;
}

const text = (options: Options, name: string): string | undefined => (typeof options[name] === 'string' ? options[name] : undefined);

/**
 * The request the flags make. Default schemas as Supabase's: `public` and the schemas the API
 * exposes (its config.toml's `[api] schemas`; here GROUNDWORK_DB_SCHEMAS).
 */
export function genTypesRequest(config: Pick<Config, 'rest'>, positionals: readonly string[], options: Options): GenTypesRequest {
  if (options['linked'] === true || text(options, 'project-id') !== undefined) {
    throw new UsageError('--linked and --project-id read a Supabase platform project; Groundwork generates from its own database (leave them out, or use --db-url <url>)', COMMAND);
  }
  const langs = [...positionals, ...(text(options, 'lang') === undefined ? [] : [text(options, 'lang') as string])];
  const unsupported = langs.find((l) => l !== 'typescript');
  if (unsupported !== undefined) throw new UsageError(`only typescript types can be generated (got ${JSON.stringify(unsupported)})`, COMMAND);
  const given = text(options, 'schema');
  let schemas: string[] = [...new Set(['public', ...config.rest.schemas])];
  if (given !== undefined) {
    const parsed = nameList.safeParse(given);
    if (!parsed.success) throw new UsageError(`--schema ${parsed.error.issues[0]?.message ?? 'is invalid'}`, COMMAND);
    schemas = [...new Set(parsed.data)];
  }
  const dbUrl = text(options, 'db-url');
  if (dbUrl !== undefined) {
    const parsed = postgresUrl.safeParse(dbUrl);
    if (!parsed.success) throw new UsageError(`--db-url ${parsed.error.issues[0]?.message ?? 'is invalid'}`, COMMAND);
  }
  const output = text(options, 'output');
  if (output === '') throw new UsageError('--output needs a file name', COMMAND);
  return { schemas, output, dbUrl, postgrestVersion: text(options, 'postgrest-version'), detectOneToOne: options['postgrest-v9-compat'] !== true };
}

/** Another database, read only: never bootstrapped. */
async function withUrlDatabase<T>(config: Config, io: CliIo, url: string, work: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase({ ...config, database: { mode: 'server', url, adminUrl: url } }, io.observe);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

export async function runGenTypes(config: Config, io: CliIo, positionals: readonly string[], options: Options): Promise<void> {
  const request = genTypesRequest(config, positionals, options);
  const { generateTypescriptTypes } = await import('../typegen/generate.ts');
  const generate = (db: Database) =>
    generateTypescriptTypes(db, {
      schemas: request.schemas,
      detectOneToOne: request.detectOneToOne,
      ...(request.postgrestVersion === undefined ? {} : { postgrestVersion: request.postgrestVersion }),
    });
  const types = request.dbUrl === undefined ? await withCliDatabase(config, io, generate) : await withUrlDatabase(config, io, request.dbUrl, generate);
  // What `supabase gen types` prints: the file and one more newline.
  if (request.output === undefined) {
    io.out(types);
    return;
  }
  writeFileSync(request.output, `${types}\n`);
  io.progress(`Wrote the types of ${request.schemas.join(', ')} to ${request.output}\n`);
}
