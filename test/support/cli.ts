// Runs the real `groundwork` command (from sources, through tsx) as a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { TEST_JWT_SECRET, type TestDatabase } from './db.ts';

const root = join(import.meta.dirname, '../..');
export const CLI = join(root, 'src/cli.ts');

/** The child's environment: ours without Groundwork's settings, plus `env`. */
export function cliEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const k of Object.keys(base)) if (/^(DATABASE_URL|JWT_SECRET|PORT|HOST|LOG_LEVEL|GROUNDWORK_.*)$/.test(k)) delete base[k];
  // No database port unless a test asks for one: test files run side by side.
  return { ...base, LOG_LEVEL: 'silent', GROUNDWORK_DB_PORT: 'off', ...env };
}

export function spawnCli(args: string[], env: Record<string, string> = {}, cwd = root): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd, env: cliEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function collect(child: ChildProcess, onStderr?: (chunk: string) => void): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    onStderr?.(d.toString());
  });
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

export function runCli(args: string[], env: Record<string, string> = {}, cwd = root): Promise<CliResult> {
  return collect(spawnCli(args, env, cwd));
}

/** Environment that points the CLI at a test database. */
export function dbEnv(t: TestDatabase): Record<string, string> {
  return { GROUNDWORK_DATA_DIR: t.config.dataDir, JWT_SECRET: TEST_JWT_SECRET, ...(t.url === undefined ? {} : { DATABASE_URL: t.url }) };
}
