// Parses argv into a command, its positional arguments and flags. Pure: a bad argument
// becomes a UsageError with the message the CLI prints.
import { parseArgs } from 'node:util';
import { settings } from '../config/settings.ts';
import { commands } from './help.ts';

export class UsageError extends Error {
  constructor(
    message: string,
    readonly command: string | undefined,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export type ParsedArgs =
  | { readonly kind: 'help'; readonly command: string | undefined }
  | { readonly kind: 'version' }
  | {
      readonly kind: 'run';
      readonly command: string;
      readonly positionals: readonly string[];
      readonly flags: Readonly<Record<string, string | undefined>>;
      readonly yes: boolean;
      /** The command's own flags (COMMAND_OPTIONS) that were given. */
      readonly options: Readonly<Record<string, string | boolean>>;
    };

const configOptions = Object.fromEntries(Object.values(settings).map((s) => [s.flag, { type: 'string' as const }]));
const GROUPS = new Set(['migrate', 'db', 'functions', 'secrets', 'gen']);
const POSITIONALS: Readonly<Record<string, number>> = { 'migrate new': 1, 'functions new': 1, 'gen types': 1 };
/** Commands whose positional arguments may be left out (`gen types [typescript]`). */
const OPTIONAL_POSITIONALS: ReadonlySet<string> = new Set(['gen types']);
/** Commands taking one or more arguments. */
const VARIADIC: ReadonlySet<string> = new Set(['secrets unset']);
/** Flags of one command, beside the configuration flags every command takes. */
const COMMAND_OPTIONS: Readonly<Record<string, Readonly<Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>>>> = {
  'db reset': { yes: { type: 'boolean', short: 'y' } },
  'db dump': { file: { type: 'string', short: 'f' } },
  'db copy': { to: { type: 'string' }, replace: { type: 'boolean' } },
  'secrets set': { 'env-file': { type: 'string' } },
  mcp: { 'read-only': { type: 'boolean' }, features: { type: 'string' }, 'user-token': { type: 'string' } },
  // Supabase's `gen types` flags; a repeated --schema joins its values with commas.
  'gen types': {
    lang: { type: 'string' },
    schema: { type: 'string', short: 's', multiple: true },
    output: { type: 'string', short: 'o' },
    local: { type: 'boolean' },
    linked: { type: 'boolean' },
    'project-id': { type: 'string' },
    'db-url': { type: 'string' },
    'postgrest-version': { type: 'string' },
    'postgrest-v9-compat': { type: 'boolean' },
  },
};

export function parseCli(argv: readonly string[]): ParsedArgs {
  const [first, second] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') return { kind: 'help', command: undefined };
  if (first === '--version' || first === '-v') return { kind: 'version' };
  let command = first;
  let rest = argv.slice(1);
  if (GROUPS.has(first)) {
    if (second === undefined || second.startsWith('-')) {
      const subs = Object.keys(commands).filter((c) => c.startsWith(`${first} `));
      if (second === '--help' || second === '-h') return { kind: 'help', command: undefined };
      throw new UsageError(`'${first}' needs a subcommand: ${subs.join(', ')}`, undefined);
    }
    command = `${first} ${second}`;
    rest = argv.slice(2);
  }
  if (commands[command] === undefined) throw new UsageError(`unknown command '${command}'`, undefined);

  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      allowPositionals: true,
      strict: true,
      options: { ...configOptions, help: { type: 'boolean', short: 'h' }, ...COMMAND_OPTIONS[command] },
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const unknown = /^Unknown option '([^']+)'/.exec(message);
    throw new UsageError(unknown === null ? message : `unknown flag '${unknown[1]}'`, command);
  }
  if (parsed.values.help === true) return { kind: 'help', command };
  const expected = POSITIONALS[command] ?? 0;
  if (VARIADIC.has(command) && parsed.positionals.length === 0) throw new UsageError(`'${command}' takes at least one argument`, command);
  if (command === 'secrets set' && parsed.positionals.length === 0 && (parsed.values as Record<string, unknown>)['env-file'] === undefined) throw new UsageError(`'secrets set' takes NAME=VALUE arguments or --env-file`, command);
  const countOk = OPTIONAL_POSITIONALS.has(command) ? parsed.positionals.length <= expected : parsed.positionals.length === expected;
  if (!VARIADIC.has(command) && command !== 'secrets set' && !countOk) {
    const what = expected === 0 ? 'takes no arguments' : `takes ${OPTIONAL_POSITIONALS.has(command) ? 'at most ' : ''}${expected} argument${expected > 1 ? 's' : ''}`;
    throw new UsageError(`'${command}' ${what} (got ${parsed.positionals.length})`, command);
  }
  const flags: Record<string, string | undefined> = {};
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  for (const s of Object.values(settings)) {
    const v = values[s.flag];
    if (typeof v === 'string') flags[s.flag] = v;
  }
  const options: Record<string, string | boolean> = {};
  for (const name of Object.keys(COMMAND_OPTIONS[command] ?? {})) {
    const v = values[name];
    if (v !== undefined && name !== 'yes') options[name] = Array.isArray(v) ? v.join(',') : v;
  }
  return { kind: 'run', command, positionals: parsed.positionals, flags, yes: values['yes'] === true, options };
}
