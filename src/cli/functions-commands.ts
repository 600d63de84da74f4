// `functions new|list` and `secrets set|list|unset`. Secrets live in the database: with the
// embedded database held by a running `start`, they go through its database port instead.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Config } from '../config/load.ts';
import { parseDotenv } from '../config/dotenv.ts';
import { FUNCTION_NAME } from '../functions/parse/route.ts';
import { readProject } from '../functions/project/catalogue.ts';
import { listSecrets, secretNameProblem, setSecrets, unsetSecrets } from '../functions/secrets.ts';
import { UsageError } from './args.ts';
import { withCliDatabase } from './cli-database.ts';
import type { CliIo } from './commands.ts';


const STARTER = `// A Groundwork (Supabase-compatible) Edge Function, served by \`groundwork start\` at
// /functions/v1/__NAME__. Try it:
//   curl -X POST http://127.0.0.1:54321/functions/v1/__NAME__ \\
//     -H "Authorization: Bearer <anon key from \\\`groundwork keys\\\`>" -H 'Content-Type: application/json' \\
//     -d '{"name":"Functions"}'
import 'jsr:@supabase/functions-js/edge-runtime.d.ts';

Deno.serve(async (req: Request) => {
  const body = req.method === 'POST' ? await req.json().catch(() => ({})) : {};
  const name = typeof body.name === 'string' ? body.name : 'world';
  return Response.json({ message: \`Hello \${name}!\` });
});
`;

export function runFunctionsNew(config: Config, io: CliIo, name: string): void {
  if (!FUNCTION_NAME.test(name)) throw new UsageError(`invalid function name ${JSON.stringify(name)}: use letters, digits, '-' and '_', starting with a letter or digit`, 'functions new');
  const dir = join(config.functions.dir, name);
  if (existsSync(dir)) throw new UsageError(`${relative(process.cwd(), dir) || dir} already exists`, 'functions new');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.ts'), STARTER.replaceAll('__NAME__', name));
  writeFileSync(join(dir, 'deno.json'), `${JSON.stringify({ imports: { '@supabase/functions-js': 'jsr:@supabase/functions-js@^2' } }, null, 2)}\n`);
  // The block the Supabase CLI appends, so the project stays usable with it.
  const toml = join(dirname(config.functions.dir), 'config.toml');
  const rel = (p: string) => `./${relative(dirname(toml), p).split('\\').join('/')}`;
  const block = `\n[functions.${name}]\nenabled = true\nverify_jwt = true\nimport_map = "${rel(join(dir, 'deno.json'))}"\nentrypoint = "${rel(join(dir, 'index.ts'))}"\n`;
  const present = existsSync(toml) ? readFileSync(toml, 'utf8') : undefined;
  if (present?.includes(`[functions.${name}]`) !== true) appendFileSync(toml, block);
  io.out(`Created ${relative(process.cwd(), join(dir, 'index.ts')) || join(dir, 'index.ts')}; served at /functions/v1/${name}`);
}

export function runFunctionsList(config: Config, io: CliIo): void {
  const project = readProject(config.functions.dir, config.functions.verifyJwt);
  if (project.problem !== undefined) throw new UsageError(project.problem, 'functions list');
  if (project.functions.size === 0) io.out(`No functions in ${config.functions.dir}.`);
  for (const f of project.functions.values()) io.out(`${f.name}\t${relative(config.projectDir, f.entry)}\tverify_jwt=${f.verifyJwt}`);
}

export async function runSecretsSet(config: Config, io: CliIo, pairs: readonly string[], envFile: string | undefined): Promise<void> {
  const entries: Array<[string, string]> = [];
  if (envFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(envFile, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${envFile}: ${(e as Error).message}`, 'secrets set');
    }
    entries.push(...Object.entries(parseDotenv(text)));
  }
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`expected NAME=VALUE, got ${JSON.stringify(pair.slice(0, 60))}`, 'secrets set');
    entries.push([pair.slice(0, eq), pair.slice(eq + 1)]);
  }
  for (const [name] of entries) {
    const problem = secretNameProblem(name);
    if (problem !== undefined) throw new UsageError(problem, 'secrets set');
  }
  await withCliDatabase(config, io, (db) => setSecrets(db, entries));
  io.out(`Set ${entries.length} secret${entries.length === 1 ? '' : 's'}: ${[...new Set(entries.map(([n]) => n))].join(', ')}`);
}

export async function runSecretsList(config: Config, io: CliIo): Promise<void> {
  const secrets = await withCliDatabase(config, io, (db) => listSecrets(db));
  if (secrets.length === 0) io.out('No secrets set.');
  for (const s of secrets) io.out(`${s.name}\t${s.digest}\t${s.updatedAt}`);
}

export async function runSecretsUnset(config: Config, io: CliIo, names: readonly string[]): Promise<void> {
  const removed = await withCliDatabase(config, io, (db) => unsetSecrets(db, names));
  const missing = names.filter((n) => !removed.includes(n));
  io.out(`Unset ${removed.length} secret${removed.length === 1 ? '' : 's'}${missing.length === 0 ? '' : ` (not set: ${missing.join(', ')})`}.`);
}
