#!/usr/bin/env node
// The `groundwork` command. Parses arguments, builds the one Config, runs the command,
// and turns known failures into one clear message and an exit code (2: usage, 1: failure).
// A command's code is imported when it runs, so `--help` and `keys` do not load Fastify and
// the API modules; what stays static here is light (arguments, config, error classes).
import { readFileSync } from 'node:fs';
import { parseCli, UsageError } from './cli/args.ts';
import type { CliIo } from './cli/commands.ts';
import { commandHelp, mainHelp } from './cli/help.ts';
import { ConfigError, loadConfig, type Config } from './config/load.ts';
import { DbError, DbUnavailableError } from './db/errors.ts';
import type { Database } from './db/port.ts';
import { DataDirLockedError } from './db/embedded/lock.ts';
import { lineProgress } from './lib/progress.ts';
import { MigrationError } from './migrations/runner.ts';
import type { Observer } from './observe/events.ts';
import { TransferError } from './transfer/errors.ts';

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

async function serve(config: Config, io: CliIo, admin: Promise<Database> | undefined): Promise<void> {
  const [{ startGroundwork }, { banner }] = await Promise.all([import('./app/start.ts'), import('./cli/commands.ts')]);
  const gw = await startGroundwork(config, { observe: io.observe, progress: lineProgress(io.progress), ...(admin === undefined ? {} : { admin }) });
  for (const line of banner(gw, config)) out(line);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130); // a second signal: stop now
    stopping = true;
    const started = performance.now();
    io.observe({ type: 'shutdown', signal, phase: 'begin' });
    setTimeout(() => {
      io.observe({ type: 'shutdown', signal, phase: 'forced' });
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    gw.close().then(
      () => {
        io.observe({ type: 'shutdown', signal, phase: 'done', ms: Math.round(performance.now() - started) });
        process.exit(0);
      },
      (e: unknown) => {
        err(`groundwork: error while stopping: ${e instanceof Error ? e.message : String(e)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseCli(argv);
  if (args.kind === 'version') {
    out(version);
    return 0;
  }
  if (args.kind === 'help') {
    out(args.command === undefined ? mainHelp(version) : commandHelp(args.command));
    return 0;
  }
  const config = loadConfig(args.flags);
  // An embedded start opens PGlite first: its thread boots (most of the start) while this one
  // loads the server. What it observes goes to the logger once that is loaded.
  let observe: Observer = () => undefined;
  const admin = args.command === 'start' && config.database.mode === 'embedded' ? import('./db/open-embedded.ts').then((m) => m.openEmbedded(config, (e) => observe(e))) : undefined;
  admin?.catch(() => undefined); // awaited by the start
  const { createLogger, loggingObserver } = await import('./observe/logger.ts');
  // `mcp` speaks JSON-RPC on stdout: its log goes to stderr.
  const logTo = args.command === 'mcp' ? (await import('pino')).pino.destination(2) : undefined;
  observe = loggingObserver(createLogger(config.logLevel, logTo));
  const io: CliIo = { out, progress: (text) => process.stderr.write(text), observe };
  if (args.command === 'start') {
    await serve(config, io, admin);
    return -1; // keeps running until a signal
  }
  const run = await import('./cli/commands.ts');
  switch (args.command) {
    case 'keys':
      await run.runKeys(config, io);
      return 0;
    case 'migrate new':
      run.runMigrateNew(config, io, args.positionals[0] as string);
      return 0;
    case 'migrate up':
      await run.runMigrateUp(config, io);
      return 0;
    case 'migrate status':
      await run.runMigrateStatus(config, io);
      return 0;
    case 'db reset':
      await run.runDbReset(config, io, args.yes);
      return 0;
    case 'db dump':
      await (await import('./cli/transfer-commands.ts')).runDbDump(config, io, args.options, process.stdout);
      return 0;
    case 'functions new':
      (await import('./cli/functions-commands.ts')).runFunctionsNew(config, io, args.positionals[0] as string);
      return 0;
    case 'functions list':
      (await import('./cli/functions-commands.ts')).runFunctionsList(config, io);
      return 0;
    case 'secrets set': {
      const envFile = args.options['env-file'];
      await (await import('./cli/functions-commands.ts')).runSecretsSet(config, io, args.positionals, typeof envFile === 'string' ? envFile : undefined);
      return 0;
    }
    case 'secrets list':
      await (await import('./cli/functions-commands.ts')).runSecretsList(config, io);
      return 0;
    case 'secrets unset':
      await (await import('./cli/functions-commands.ts')).runSecretsUnset(config, io, args.positionals);
      return 0;
    case 'db copy':
      await (await import('./cli/transfer-commands.ts')).runDbCopy(config, io, args.options);
      return 0;
    case 'mcp':
      await (await import('./cli/mcp-command.ts')).runMcp(config, io, {
        readOnly: args.options['read-only'] === true,
        features: typeof args.options['features'] === 'string' ? args.options['features'] : undefined,
        userToken: typeof args.options['user-token'] === 'string' ? args.options['user-token'] : undefined,
      });
      return 0;
    case 'gen types':
      await (await import('./cli/gen-commands.ts')).runGenTypes(config, io, args.positionals, args.options);
      return 0;
    default:
      throw new UsageError(`unknown command '${args.command}'`, undefined);
  }
}

function explain(e: unknown): { message: string; code: number } {
  if (e instanceof UsageError) {
    const help = e.command === undefined ? 'groundwork --help' : `groundwork ${e.command} --help`;
    return { message: `${e.message}. See '${help}'.`, code: 2 };
  }
  if (e instanceof ConfigError) return { message: `invalid configuration: ${e.message}`, code: 1 };
  if (e instanceof DataDirLockedError) return { message: e.message, code: 1 };
  if (e instanceof MigrationError) return { message: `migration failed, rolled back: ${e.message}`, code: 1 };
  if (e instanceof TransferError) return { message: e.message, code: 1 };
  if (e instanceof DbUnavailableError) return { message: `cannot reach the database: ${e.message}`, code: 1 };
  if (e instanceof DbError) return { message: `database error: ${e.message} (SQLSTATE ${e.sqlstate})`, code: 1 };
  const listen = e as { code?: unknown; message?: unknown };
  if (listen.code === 'EADDRINUSE') return { message: `cannot listen: ${String(listen.message)} (is another server on that port? set PORT)`, code: 1 };
  return { message: `unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`, code: 1 };
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (e: unknown) => {
    const { message, code } = explain(e);
    err(`groundwork: ${message}`);
    process.exit(code);
  },
);
