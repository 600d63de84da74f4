// Starts a throwaway PostgreSQL cluster in a temporary directory, for the test harness and
// for tests that need to stop and restart a server. PostgreSQL refuses to run as root, so
// as root the cluster belongs to the `postgres` user. Fails loudly when no server is found.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PgCluster {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  stop(): void;
  start(): void;
  /** The same as stop/start without blocking this process, so load can run meanwhile. */
  stopAsync(): Promise<void>;
  startAsync(): Promise<void>;
  /** `pg_ctl restart -m fast`. */
  restartAsync(): Promise<void>;
  destroy(): void;
}

export function findPgBin(): string {
  const candidates: string[] = [];
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    // no pg_config on PATH
  }
  if (existsSync('/usr/lib/postgresql')) {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  }
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (found === undefined) {
    throw new Error('No PostgreSQL server binaries found (initdb, pg_ctl). Install them, e.g. `apt-get install postgresql`, or run .ci/run.');
  }
  return found;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

const asRoot = process.getuid?.() === 0;

function pgUserIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

function runPg(bin: string, args: string[]): void {
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const r = spawnSync(cmd as string, argv as string[], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
}

function runPgAsync(bin: string, args: string[]): Promise<void> {
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  return new Promise((resolve, reject) => {
    execFile(cmd as string, argv as string[], { encoding: 'utf8' }, (e, stdout, stderr) =>
      e === null ? resolve() : reject(new Error(`${bin} ${args.join(' ')} failed: ${stderr || stdout}`)),
    );
  });
}

export async function startPgCluster(): Promise<PgCluster> {
  const bin = findPgBin();
  const dir = mkdtempSync(join(tmpdir(), 'gw-pg-'));
  if (asRoot) {
    const { uid, gid } = pgUserIds();
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  // Password logins over TCP, as a real server has them: the roles Groundwork logs in as
  // must get working passwords (src/db/logins.ts). The socket stays trusted for pg_ctl.
  const password = randomBytes(12).toString('hex');
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, `${password}\n`);
  if (asRoot) chownSync(pwfile, pgUserIds().uid, pgUserIds().gid);
  runPg(join(bin, 'initdb'), ['-D', data, '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwfile}`, '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  rmSync(pwfile);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const start = () => runPg(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', 'start']);
  const stop = () => runPg(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
  const ctl = join(bin, 'pg_ctl');
  start();
  let running = true;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    dir,
    start: () => {
      start();
      running = true;
    },
    stop: () => {
      stop();
      running = false;
    },
    startAsync: async () => {
      await runPgAsync(ctl, ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', 'start']);
      running = true;
    },
    stopAsync: async () => {
      await runPgAsync(ctl, ['-D', data, '-m', 'fast', '-w', 'stop']);
      running = false;
    },
    restartAsync: () => runPgAsync(ctl, ['-D', data, '-l', join(dir, 'log'), '-o', options, '-m', 'fast', '-w', 'restart']),
    destroy: () => {
      if (running) {
        try {
          runPg(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
        } catch {
          // already down
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
