// The jobs bench's shared parts: knobs, a throwaway database per system on one PostgreSQL
// server, and the built Groundwork started as a child process whose stdout (the banner and,
// with LOG_LEVEL=info, one JSON log line per observation) the scenarios read.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import postgres from 'postgres';
import { freePort } from '../../test/support/pg-cluster.ts';

export const root = join(import.meta.dirname, '../..');
export const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
export const SECRET = 'bench-jobs-secret-bench-jobs-secret-0123456';
export const progress = (line: string): void => void process.stderr.write(`  ${line}\n`);

/** A database of its own on the server behind `adminUrl`, dropped by `drop`. */
export async function freshDatabase(adminUrl: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const s = postgres(adminUrl, { max: 1, onnotice: () => undefined });
      await s.unsafe(`drop database if exists ${name} with (force)`);
      await s.end();
    },
  };
}

/** Groundwork's bootstrap on a server database, by the built CLI (`migrate up`), without starting a server. */
export async function bootstrapGroundwork(databaseUrl: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-bench-jobs-'));
  try {
    await new Promise<void>((resolve, reject) =>
      execFile(process.execPath, [join(root, 'dist/cli.js'), 'migrate', 'up', '--project-dir', dir], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: databaseUrl, JWT_SECRET: SECRET, LOG_LEVEL: 'warn', GROUNDWORK_DATA_DIR: join(dir, 'data') } }, (e, _out, err) =>
        e === null ? resolve() : reject(new Error(`migrate up failed: ${err}`)),
      ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Groundwork {
  readonly url: string;
  /** A PostgreSQL URL to its database: DATABASE_URL, or the embedded database's port. */
  readonly dbUrl: string;
  readonly pid: number;
  /** Every JSON log line so far (LOG_LEVEL=info). */
  readonly logs: Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) return;
    await sleep(100);
  }
  throw new Error('server did not become healthy');
}

/** The built server (dist/cli.js start), on `databaseUrl` or, without one, on embedded PGlite with its database port on. */
export async function startGroundwork(databaseUrl: string | undefined, extraEnv: Record<string, string> = {}): Promise<Groundwork> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-bench-jobs-'));
  mkdirSync(join(dir, 'supabase/migrations'), { recursive: true });
  const port = await freePort();
  // SERVER_NODE_ARGS: flags for the server's node (e.g. --cpu-prof), for profiling.
  const nodeArgs = (process.env.SERVER_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const child = spawn(process.execPath, [...nodeArgs, join(root, 'dist/cli.js'), 'start', '--project-dir', dir], {
    env: {
      PATH: process.env.PATH ?? '',
      // The initialised-database cache lives under HOME: without it each start runs initdb.
      HOME: process.env.HOME ?? '',
      ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
      JWT_SECRET: SECRET,
      PORT: String(port),
      LOG_LEVEL: 'info',
      GROUNDWORK_DATA_DIR: join(dir, 'data'),
      GROUNDWORK_DB_PORT: databaseUrl === undefined ? '0' : 'off',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const logs: Array<Record<string, unknown>> = [];
  let dbUrl = databaseUrl;
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    if (line.startsWith('{')) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line
      }
    } else {
      const m = /^\s*DB URL: (\S+)/.exec(line);
      if (m !== null) dbUrl = m[1];
    }
  });
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, child);
  for (let i = 0; i < 50 && dbUrl === undefined; i++) await sleep(100);
  if (dbUrl === undefined) throw new Error('the server printed no DB URL');
  return {
    url,
    dbUrl,
    pid: child.pid ?? 0,
    logs,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const fmt = (o: Record<string, number>): string =>
  Object.entries(o)
    .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(Math.abs(v) < 10 ? 2 : 0)}`)
    .join('  ');

/** The median of each key over rounds. */
export function medians(results: ReadonlyArray<Record<string, number>>): Record<string, number> {
  const keys = Object.keys(results[0] ?? {});
  return Object.fromEntries(
    keys.map((k) => {
      const sorted = results.map((r) => r[k] ?? NaN).sort((a, b) => a - b);
      return [k, sorted[Math.floor(sorted.length / 2)] ?? NaN];
    }),
  );
}

const cell = (v: number | string): string => (typeof v === 'string' ? v : Number.isNaN(v) ? '–' : Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) < 10 ? 2 : 0));

/** A markdown table: one row per named result, one column per key (– where a row has none). */
export function table(rows: ReadonlyArray<readonly [string, Record<string, number | string>]>): string[] {
  const keys = [...new Set(rows.flatMap(([, r]) => Object.keys(r)))];
  const lines = [['', ...keys], ...rows.map(([name, r]) => [name, ...keys.map((k) => cell(r[k] ?? NaN))])];
  const widths = (lines[0] ?? []).map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  const line = (l: string[]) => `| ${l.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  return [line(lines[0] ?? []), `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...lines.slice(1).map(line)];
}
