// The shipped CLI is the esbuild bundle `npm run build` writes (scripts/build.ts), not the
// sources the other tests run through tsx: bundled, a file read relative to its module or a
// worker started from a URL can go missing. This builds the bundle as the package lays it
// out (package.json beside dist/, inside node_modules/.cache so PGlite, left external,
// resolves) and runs the example blog through it: REST with the anon key, a sign-up (zod,
// jose), and on PGlite the worker thread that owns the database.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveApiKeys } from '../../src/keys/api-keys.ts';
import { bundle } from '../../scripts/build.ts';
import { cliEnv, collect, dbEnv } from '../support/cli.ts';
import { createTestDatabase, dbKind, TEST_JWT_SECRET, type TestDatabase } from '../support/db.ts';

const root = join(import.meta.dirname, '../..');

describe(`groundwork CLI: the bundled build (${dbKind})`, () => {
  let pkg: string;
  let warnings: string[];
  let t: TestDatabase;
  let project: string;
  before(async () => {
    const cache = join(root, 'node_modules/.cache');
    mkdirSync(cache, { recursive: true });
    pkg = mkdtempSync(join(cache, 'gw-bundle-test-'));
    copyFileSync(join(root, 'package.json'), join(pkg, 'package.json'));
    warnings = (await bundle(join(pkg, 'dist'))).warnings.map((w) => w.text);
    project = mkdtempSync(join(tmpdir(), 'gw-bundle-project-'));
    cpSync(join(root, 'examples/blog/supabase'), join(project, 'supabase'), { recursive: true });
    t = await createTestDatabase({ projectDir: project });
  });
  after(async () => {
    await t.dispose();
    rmSync(project, { recursive: true, force: true });
    rmSync(pkg, { recursive: true, force: true });
  });

  const cli = (args: string[], env: Record<string, string> = {}) =>
    spawn(process.execPath, [join(pkg, 'dist/cli.js'), ...args], { cwd: project, env: cliEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });

  it('builds without warnings and prints the package version and help', async () => {
    assert.deepEqual(warnings, []);
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const v = await collect(cli(['--version']));
    assert.deepEqual([v.code, v.stdout], [0, `${version}\n`]);
    const help = await collect(cli(['--help']));
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /Usage: groundwork/);
  });

  it('starts the example app, serves REST and Auth, and stops on SIGTERM', async (ctx) => {
    const child = cli(['start', '--project-dir', project], { ...dbEnv(t), PORT: '0' });
    ctx.after(() => child.kill('SIGKILL')); // when an assertion fails before the SIGTERM
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    const done = collect(child);
    for (let i = 0; i < 600 && !out.includes('service_role key'); i++) await new Promise((r) => setTimeout(r, 50));
    const url = /API URL: (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    assert.ok(url, `no banner; stdout: ${out}`);
    const { anon } = await deriveApiKeys(TEST_JWT_SECRET);
    assert.equal((await fetch(`${url}/health`)).status, 200);

    const posts = await fetch(`${url}/rest/v1/posts?select=title&order=title`, { headers: { apikey: anon } });
    assert.equal(posts.status, 200);
    assert.deepEqual(await posts.json(), [{ title: 'Bob writes' }, { title: 'Hello from Alice' }]);

    const signup = await fetch(`${url}/auth/v1/signup`, {
      method: 'POST',
      headers: { apikey: anon, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bundle@example.com', password: 'a-long-enough-password' }),
    });
    assert.equal(signup.status, 200);
    // A session in embedded mode (mail confirmation off by default there), the user alone on a server.
    const body = (await signup.json()) as { email?: string; user?: { email?: string } };
    assert.equal(body.user?.email ?? body.email, 'bundle@example.com', JSON.stringify(body));

    child.kill('SIGTERM');
    const r = await done;
    assert.equal(r.code, 0, r.stderr);
  });
});
