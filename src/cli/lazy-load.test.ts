// The CLI imports a command's code when the command runs: `--help` and `keys` must not pay
// for Fastify, the API modules or the database drivers (they cost most of a start's 0.6 s
// of module loading). A module resolve hook in the child lists what it loaded.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, cliEnv, collect } from '../../test/support/cli.ts';

const hooks = `import { appendFileSync } from 'node:fs';
let file;
export function initialize(data) { file = data; }
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(file, resolved.url + '\\n');
  return resolved;
}`;

async function loadedBy(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; urls: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-lazy-'));
  const file = join(dir, 'loaded.txt');
  const entry = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)}, { data: ${JSON.stringify(file)} });`;
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', `data:text/javascript,${encodeURIComponent(entry)}`, CLI, ...args], {
      env: cliEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const { code } = await collect(child);
    return { code, urls: readFileSync(file, 'utf8').split('\n').filter((u) => u !== '') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const packages = (urls: string[]) => new Set(urls.flatMap((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? []));
const ours = (urls: string[]) => new Set(urls.flatMap((u) => /\/src\/(.+)\.ts$/.exec(u)?.[1] ?? []));

describe('groundwork CLI: module loading', () => {
  it('--help loads no server, database driver, token or log library', async () => {
    const { code, urls } = await loadedBy(['--help']);
    assert.equal(code, 0);
    assert.ok(ours(urls).has('cli/help'), 'the hook saw the CLI load');
    const loaded = packages(urls);
    for (const p of ['fastify', 'postgres', '@electric-sql/pglite', 'jose', 'pino', 'nodemailer', 'qrcode']) assert.ok(!loaded.has(p), `--help loaded ${p}`);
  });

  it('keys loads neither the server nor the API modules', async () => {
    const { code, urls } = await loadedBy(['keys'], { JWT_SECRET: 'a-secret-of-at-least-thirty-two-characters', DATABASE_URL: 'postgres://127.0.0.1:1/none' });
    assert.equal(code, 0);
    assert.ok(packages(urls).has('jose'), 'keys signs with jose');
    for (const p of ['fastify', 'nodemailer', 'qrcode']) assert.ok(!packages(urls).has(p), `keys loaded ${p}`);
    for (const m of ['app/start', 'http/server', 'rest/module', 'auth/module']) assert.ok(!ours(urls).has(m), `keys loaded src/${m}.ts`);
  });
});
