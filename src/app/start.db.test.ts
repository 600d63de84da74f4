// Start-up order: the API modules' code loads while the database is bootstrapped and the
// schema cache is first read; their settings are read before migrations run, so a bad
// setting stops the start with the project's migrations not applied and nothing left open;
// a cache read before migrations that changed the schema is read again, and a new database
// (its migrations certain to come) is read once, after them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config/load.ts';
import { openDatabase } from '../db/open.ts';
import { sql } from '../lib/sql.ts';
import { silentProgress } from '../lib/progress.ts';
import type { Observation } from '../observe/events.ts';
import { createTestDatabase, dbKind, quiet, type TestDatabase } from '../../test/support/db.ts';
import { startGroundwork } from './start.ts';

describe(`start-up order (${dbKind})`, () => {
  let project: string;
  let t: TestDatabase;
  let good: TestDatabase;
  before(async () => {
    project = mkdtempSync(join(tmpdir(), 'gw-start-order-'));
    cpSync(join(import.meta.dirname, '../../examples/blog/supabase'), join(project, 'supabase'), { recursive: true });
    const templates = join(project, 'emails');
    mkdirSync(templates);
    writeFileSync(join(templates, 'invite.html'), '{{ .Link }}');
    t = await createTestDatabase({ projectDir: project, env: { GROUNDWORK_PROJECT_DIR: project, GROUNDWORK_AUTH_MAIL_TEMPLATES_DIR: templates } });
    // No PostgreSQL port for the embedded database: test files run side by side.
    good = await createTestDatabase({ projectDir: project, env: { GROUNDWORK_PROJECT_DIR: project, GROUNDWORK_DB_PORT: 'off' } });
  });
  after(async () => {
    await t.dispose();
    await good.dispose();
    rmSync(project, { recursive: true, force: true });
  });

  it('stops on a bad email template before applying migrations, and closes the database', async () => {
    await assert.rejects(
      startGroundwork(t.config, { observe: quiet, progress: silentProgress }),
      (e: unknown) => e instanceof ConfigError && e.variable === 'GROUNDWORK_AUTH_MAIL_TEMPLATES_DIR',
    );
    // Opening it again works (the embedded data directory's lock was released) and shows
    // the bootstrap but none of the blog's tables.
    const db = await openDatabase(t.config, quiet);
    try {
      const { rows } = await db.query<{ boot: string | null; posts: string | null }>(
        sql`select to_regclass('_groundwork.bootstrap')::text as boot, to_regclass('public.posts')::text as posts`,
      );
      assert.deepEqual(rows[0], { boot: '_groundwork.bootstrap', posts: null });
    } finally {
      await db.close();
    }
  });

  it('serves the tables its migrations created, and reads the cache once when none are pending', async () => {
    for (const [run, loads] of [['first', ['start', 'migrations']], ['second', ['start']]] as const) {
      const seen: Observation[] = [];
      const gw = await startGroundwork(good.config, { observe: (o) => seen.push(o), progress: silentProgress });
      try {
        assert.ok(gw.schema.current.relations.has('public.posts'), `${run} start`);
        assert.deepEqual(seen.flatMap((o) => (o.type === 'schema-cache-loaded' ? [o.reason] : [])), loads, `${run} start`);
      } finally {
        await gw.close();
      }
    }
  });

  it('reads the cache once, after the migrations, on a database it bootstraps', async () => {
    const fresh = await createTestDatabase({ projectDir: project, fresh: true, env: { GROUNDWORK_PROJECT_DIR: project, GROUNDWORK_DB_PORT: 'off' } });
    const seen: Observation[] = [];
    try {
      const gw = await startGroundwork(fresh.config, { observe: (o) => seen.push(o), progress: silentProgress });
      try {
        assert.ok(gw.bootstrap.fresh);
        assert.ok(gw.schema.current.relations.has('public.posts'));
        assert.deepEqual(seen.flatMap((o) => (o.type === 'schema-cache-loaded' ? [o.reason] : [])), ['start']);
      } finally {
        await gw.close();
      }
    } finally {
      await fresh.dispose();
    }
  });
});
