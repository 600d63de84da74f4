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
      'Bootstraps the database, applies pending migrations (and supabase/seed.sql the first time it migrates\na database), then prints the API URL, the anon and service_role keys, the database mode and the data directory.\nSIGTERM or Ctrl-C stops it gracefully.',
  },
  'migrate new': { usage: 'groundwork migrate new <name>', summary: 'Create supabase/migrations/<timestamp>_<name>.sql.' },
  'migrate up': { usage: 'groundwork migrate up [flags]', summary: 'Apply pending migrations, each in its own transaction.' },
  'migrate status': { usage: 'groundwork migrate status [flags]', summary: 'List migrations: applied, pending, drift (file changed since applied), missing (applied, file gone).' },
  'db reset': {
    usage: 'groundwork db reset [--yes] [flags]',
    summary: "Drop the app's schemas and rebuild: bootstrap, migrations, supabase/seed.sql.",
    details: 'Destroys all data in the database. With DATABASE_URL set, --yes is required.',
  },
  keys: { usage: 'groundwork keys [flags]', summary: 'Print the anon and service_role API keys.' },
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
  const extra = name === 'db reset' ? '  --yes  confirm dropping all data\n' : '';
  return `Usage: ${c.usage}\n\n${c.summary}\n${c.details === undefined ? '' : `\n${c.details}\n`}\nFlags:\n${extra}  -h, --help  show this help\n\nConfiguration flags (each overrides its environment variable and .env):\n${configFlagsHelp()}\n`;
}
