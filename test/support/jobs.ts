// What the jobs scenarios share: a receiver that keeps every request, the fixture project
// copied with the receiver's address, and polling with a deadline.
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FIXTURE = join(import.meta.dirname, '../fixtures/jobs');
/** The receiver's address in the fixture's migration, replaced in the copy a test starts on. */
const PLACEHOLDER = 'http://receiver.invalid';

export interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** An HTTP receiver on 127.0.0.1 that keeps every request and answers each path with the status set for it (200 by default). */
export async function startReceiver(): Promise<{ origin: string; requests: Received[]; statuses: Map<string, number>; close(): Promise<void> }> {
  const requests: Received[] = [];
  const statuses = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      requests.push({ method: req.method ?? '', path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = statuses.get(path) ?? 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status < 300 ? { ok: true } : { error: 'receiver down' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    requests,
    statuses,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A copy of the fixture project whose migration calls `origin`. */
export function projectCalling(origin: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gw-jobs-project-'));
  cpSync(FIXTURE, dir, { recursive: true });
  const migrations = join(dir, 'supabase', 'migrations');
  for (const name of readdirSync(migrations)) {
    const path = join(migrations, name);
    writeFileSync(path, readFileSync(path, 'utf8').replaceAll(PLACEHOLDER, origin));
  }
  return dir;
}

/** Polls `probe` until it returns something other than undefined; fails after `timeoutMs` saying what it waited for. */
export async function eventually<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
