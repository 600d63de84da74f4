// The `groundwork` command run as a process, for what needs no database: help, argument
// mistakes (exit 2) and configuration mistakes (one line naming the variable, exit 1).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../test/support/cli.ts';

const version = (JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }).version;

describe('groundwork CLI: arguments and configuration', () => {
  it('prints help for the program and for every command', async () => {
    const main = await runCli(['--help']);
    assert.equal(main.code, 0);
    for (const c of ['start', 'migrate new', 'migrate up', 'migrate status', 'db reset', 'db dump', 'db copy', 'keys']) assert.match(main.stdout, new RegExp(`\\n  ${c} `));
    for (const c of [['start'], ['migrate', 'new'], ['migrate', 'up'], ['migrate', 'status'], ['db', 'reset'], ['db', 'dump'], ['db', 'copy'], ['keys']]) {
      const r = await runCli([...c, '--help']);
      assert.equal(r.code, 0, c.join(' '));
      assert.match(r.stdout, new RegExp(`^Usage: groundwork ${c.join(' ')}`));
      assert.match(r.stdout, /--port <value> +PORT; default 54321\n/);
    }
    assert.equal((await runCli(['--version'])).stdout, `${version}\n`);
  });

  const usage: Array<[string[], string]> = [
    [['serve'], "groundwork: unknown command 'serve'. See 'groundwork --help'.\n"],
    [['start', '--prot', '1'], "groundwork: unknown flag '--prot'. See 'groundwork start --help'.\n"],
    [['migrate', 'new'], "groundwork: 'migrate new' takes 1 argument (got 0). See 'groundwork migrate new --help'.\n"],
    [['db'], "groundwork: 'db' needs a subcommand: db reset, db dump, db copy. See 'groundwork --help'.\n"],
    [['db', 'copy'], "groundwork: 'db copy' needs --to <postgres://user:password@host:port/database>. See 'groundwork db copy --help'.\n"],
    [['db', 'copy', '--to', 'mysql://h/db'], "groundwork: --to must be a postgres:// or postgresql:// URL. See 'groundwork db copy --help'.\n"],
  ];
  for (const [args, message] of usage) {
    it(`exits 2 with a clear message for: groundwork ${args.join(' ')}`, async () => {
      const r = await runCli(args);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, message);
    });
  }

  const config: Array<[Record<string, string>, string]> = [
    [{ PORT: 'abc' }, 'groundwork: invalid configuration: PORT must be a whole number (got "abc")\n'],
    [{ JWT_SECRET: 'too-short' }, 'groundwork: invalid configuration: JWT_SECRET must be at least 32 characters long\n'],
    [{ DATABASE_URL: 'mysql://localhost/db' }, 'groundwork: invalid configuration: DATABASE_URL must be a postgres:// or postgresql:// URL\n'],
    [{ LOG_LEVEL: 'chatty' }, 'groundwork: invalid configuration: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "chatty")\n'],
    [
      { JWT_SECRET: 'a-secret-of-at-least-thirty-two-characters', GROUNDWORK_AUTH_SIGNING_KEYS_PATH: '/nonexistent/keys.json' },
      "groundwork: invalid configuration: GROUNDWORK_AUTH_SIGNING_KEYS_PATH (/nonexistent/keys.json): ENOENT: no such file or directory, open '/nonexistent/keys.json'\n",
    ],
    [{ DATABASE_URL: 'postgres://localhost:1/db' }, 'groundwork: invalid configuration: JWT_SECRET is required when DATABASE_URL is set (every node must share it)\n'],
  ];
  for (const [env, message] of config) {
    it(`stops with one line naming the variable: ${Object.keys(env).join(', ')}`, async () => {
      const r = await runCli(['start'], env);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, message);
    });
  }
});
