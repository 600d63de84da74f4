// Help texts. The configuration flags are generated from the settings table, so they
// cannot drift from what the loader accepts.
import { settings } from '../config/settings.ts';

export interface CommandHelp {
  readonly usage: string;
  readonly summary: string;
  readonly details?: string;
}

export const commands: Readonly<Record<string, CommandHelp>> = {
  start: {
    usage: 'groundwork start [flags]',
    summary: 'Serve every API on one port (default http://127.0.0.1:54321).',
    details:
      'Bootstraps the database, applies pending migrations (and supabase/seed.sql the first time it migrates\na database), then prints the API URL, the PostgreSQL URL of the embedded database (DB URL), the anon and service_role keys,\nthe database mode and the data directory. SIGTERM or Ctrl-C stops it gracefully.',
  },
  'migrate new': { usage: 'groundwork migrate new <name>', summary: 'Create supabase/migrations/<timestamp>_<name>.sql.' },
  'migrate up': { usage: 'groundwork migrate up [flags]', summary: 'Apply pending migrations, each in its own transaction.' },
  'migrate status': { usage: 'groundwork migrate status [flags]', summary: 'List migrations: applied, pending, drift (file changed since applied), missing (applied, file gone).' },
  'db reset': {
    usage: 'groundwork db reset [--yes] [flags]',
    summary: "Drop the app's schemas and rebuild: bootstrap, migrations, supabase/seed.sql.",
    details: 'Destroys all data in the database. With DATABASE_URL set, --yes is required.',
  },
  'db dump': {
    usage: 'groundwork db dump [--file <path>] [flags]',
    summary: "Write the embedded database as a SQL script: the project's schema, its rows, Auth's users and the migration history.",
    details:
      "Reads the project's data directory while no Groundwork runs on it. The script leaves out what Groundwork's\nbootstrap makes (roles, extensions, Auth's tables): load it with psql into a database Groundwork has bootstrapped.",
  },
  'db copy': {
    usage: 'groundwork db copy --to <postgres://…> [--replace] [flags]',
    summary: 'Copy the embedded database to a PostgreSQL server in one transaction, then compare row counts table by table.',
    details:
      "Bootstraps the target, refuses one that already holds a project (unless --replace), copies schema, rows, Auth's\nusers and the migration history, sets sequences, and exits 1 if any table's row count differs.",
  },
  keys: { usage: 'groundwork keys [flags]', summary: 'Print the anon and service_role API keys.' },
  'functions new': {
    usage: 'groundwork functions new <name> [flags]',
    summary: 'Create supabase/functions/<name>/index.ts (and its config.toml block); `start` serves it at /functions/v1/<name>.',
  },
  'functions list': { usage: 'groundwork functions list [flags]', summary: 'List the functions `start` serves, with their entry and whether they require a JWT.' },
  'secrets set': {
    usage: 'groundwork secrets set NAME=VALUE… [--env-file <path>] [flags]',
    summary: 'Set secrets functions read with Deno.env.get; running workers restart with them.',
    details: "Stored in the database, so every node sees them. With the embedded database in use by a running\n`start`, the command goes through its database port (GROUNDWORK_DB_PORT).",
  },
  'secrets list': { usage: 'groundwork secrets list [flags]', summary: "List the secrets' names and a SHA-256 digest of each value." },
  'secrets unset': { usage: 'groundwork secrets unset NAME… [flags]', summary: 'Remove secrets.' },
  mcp: {
    usage: 'groundwork mcp [--read-only] [--features a,b] [--user-token <jwt>] [flags]',
    summary: "Serve the MCP tools (Supabase's names) on stdin/stdout, for AI clients configured with a command.",
    details:
      'As the operator by default; with --user-token, as that signed-in user under RLS. With the embedded database in use\nby a running `start`, the command goes through its database port (GROUNDWORK_DB_PORT). `start` serves the same\ntools over HTTP at /mcp.',
  },
  'gen types': {
    usage: 'groundwork gen types [typescript] [--schema a,b] [--output <file>] [flags]',
    summary: 'Print the TypeScript types of the database, the file `supabase gen types typescript --local` prints.',
    details:
      "Default schemas: public and the exposed ones (GROUNDWORK_DB_SCHEMAS), as Supabase uses public and config.toml's\n[api] schemas. Reads the project's database (through the database port while a `start` holds it), or --db-url's.",
  },
};

/** Help lines for each command's own flags. */
const COMMAND_FLAGS: Readonly<Record<string, readonly string[]>> = {
  'db reset': ['--yes  confirm dropping all data'],
  'db dump': ['-f, --file <path>  write the script to this file, mode 0600 (default: standard output)'],
  'secrets set': ['--env-file <path>  read NAME=VALUE lines from this file too'],
  mcp: [
    '--read-only  hide and refuse the tools that change things; execute_sql runs read-only',
    '--features <a,b>  the tool groups to offer: docs, database, debugging, development, functions (default: all)',
    "--user-token <jwt>  act as this signed-in user: each tool runs with the user's role and claims, under RLS",
  ],
  'db copy': ['--to <url>  the PostgreSQL database to copy into (postgres:// or postgresql://)', "--replace  drop the target's schemas first, whatever they hold"],
  'gen types': [
    '-s, --schema <a,b>  the schemas to generate (repeatable; default: public and GROUNDWORK_DB_SCHEMAS)',
    '-o, --output <file>  write the types to this file (default: standard output)',
    '--lang typescript  the only language (also accepted as `gen types typescript`)',
    '--db-url <url>  generate from this PostgreSQL database instead (it is only read)',
    '--local  accepted for Supabase compatibility: the project database is the default',
    '--postgrest-version <v>  add the __InternalSupabase block supabase-js reads (the platform adds it; --local does not)',
    '--postgrest-v9-compat  leave out isOneToOne on relationships',
  ],
};

export function configFlagsHelp(): string {
  const rows = Object.values(settings).map((s) => [`--${s.flag} <value>`, `${s.env}; default ${s.default}`]);
  const width = Math.max(...rows.map(([f]) => (f as string).length));
  return rows.map(([f, d]) => `  ${(f as string).padEnd(width)}  ${d}`).join('\n');
}

export function mainHelp(version: string): string {
  const width = Math.max(...Object.keys(commands).map((k) => k.length));
  const list = Object.entries(commands)
    .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
    .join('\n');
  return `groundwork ${version}: the backend foundation in one process\n\nUsage: groundwork <command> [flags]\n\nCommands:\n${list}\n\nRun 'groundwork <command> --help' for a command's flags.\n`;
}

export function commandHelp(name: string): string {
  const c = commands[name];
  if (c === undefined) return '';
  const extra = (COMMAND_FLAGS[name] ?? []).map((f) => `  ${f}\n`).join('');
  return `Usage: ${c.usage}\n\n${c.summary}\n${c.details === undefined ? '' : `\n${c.details}\n`}\nFlags:\n${extra}  -h, --help  show this help\n\nConfiguration flags (each overrides its environment variable and .env):\n${configFlagsHelp()}\n`;
}
