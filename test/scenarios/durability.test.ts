// What must hold when processes die or collide: a migration killed with SIGKILL leaves the
// database exactly before or after it, and (embedded) a second process on one data
// directory is refused with a clear message.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/open.ts';
import { sql } from '../../src/lib/sql.ts';
import { collect, dbEnv, runCli, spawnCli } from '../support/cli.ts';
import { createTestDatabase, dbKind, quiet, type TestDatabase } from '../support/db.ts';

async function state(t: TestDatabase): Promise<{ a: boolean; b: boolean; recorded: boolean }> {
  const db = await openDatabase(t.config, quiet);
  try {
    const { rows } = await db.query<{ a: boolean; b: boolean; recorded: boolean }>(sql`select
      to_regclass('public.crash_a') is not null as a, to_regclass('public.crash_b') is not null as b,
      coalesce((select true from supabase_migrations.schema_migrations where version = '20250101000000'), false) as recorded`);
    return rows[0] as { a: boolean; b: boolean; recorded: boolean };
  } finally {
    await db.close();
  }
}

describe(`durability (${dbKind})`, () => {
  let t: TestDatabase;
  let project: string;
  before(async () => {
    project = mkdtempSync(join(tmpdir(), 'gw-crash-'));
    mkdirSync(join(project, 'supabase/migrations'), { recursive: true });
    writeFileSync(
      join(project, 'supabase/migrations/20250101000000_slow.sql'),
      'create table public.crash_a (id int);\ninsert into public.crash_a select generate_series(1, 1000);\nselect pg_sleep(3);\ncreate table public.crash_b (id int);\n',
    );
    t = await createTestDatabase({ projectDir: project });
    // The migrations table exists before the crash, so only the migration itself is at stake.
    await runCli(['migrate', 'status'], { ...dbEnv(t), GROUNDWORK_PROJECT_DIR: project });
  });
  after(async () => {
    await t.dispose();
    rmSync(project, { recursive: true, force: true });
  });

  it('leaves the database exactly before or after a migration killed with SIGKILL', async () => {
    const env = { ...dbEnv(t), GROUNDWORK_PROJECT_DIR: project };
    const child = spawnCli(['migrate', 'up'], env);
    let started = false;
    const done = collect(child, (chunk) => {
      if (!started && chunk.includes('Applying migration 20250101000000_slow.sql')) {
        started = true;
        // Inside the migration: crash_a is created and filled, pg_sleep is running.
        setTimeout(() => child.kill('SIGKILL'), 1000);
      }
    });
    const killed = await done;
    assert.equal(killed.signal, 'SIGKILL', killed.stderr);

    const afterCrash = await state(t);
    assert.deepEqual(afterCrash, { a: false, b: false, recorded: false }, 'exactly before the migration');

    const again = await runCli(['migrate', 'up'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(await state(t), { a: true, b: true, recorded: true }, 'exactly after it, once re-run');
  });

  if (dbKind === 'pglite') {
    it('keeps every committed transaction and none uncommitted when the process is killed', async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../support/commit-then-hang.ts'), t.config.dataDir, '500'], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      for (let i = 0; i < 600 && !out.includes('open transaction'); i++) await new Promise((r) => setTimeout(r, 50));
      assert.match(out, /committed 500\nopen transaction/);
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGKILL');
      await exited;
      const db = await openDatabase(t.config, quiet);
      try {
        const { rows } = await db.query(sql`select count(*)::int as n, min(n) as lowest from public.kill_test`);
        assert.deepEqual(rows[0], { n: 500, lowest: 1 });
      } finally {
        await db.close();
      }
    });

    it('refuses a second process on the same data directory, and takes over a dead one’s lock', async () => {
      const env = { ...dbEnv(t), GROUNDWORK_PROJECT_DIR: project, PORT: '0' };
      const server = spawnCli(['start'], env);
      let out = '';
      server.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      const serverDone = collect(server);
      for (let i = 0; i < 300 && !out.includes('API URL'); i++) await new Promise((r) => setTimeout(r, 50));
      assert.match(out, /API URL/);

      const second = await runCli(['migrate', 'status'], env);
      assert.equal(second.code, 1);
      assert.match(second.stderr, new RegExp(`^groundwork: the data directory is in use by another Groundwork process \\(pid ${server.pid}\\); stop it first, or remove .*groundwork\\.lock if that process is gone\\n$`));

      server.kill('SIGKILL');
      await serverDone;
      const third = await runCli(['migrate', 'status'], env);
      assert.equal(third.code, 0, third.stderr);
      assert.match(third.stdout, /1 applied/);
    });
  }
});
