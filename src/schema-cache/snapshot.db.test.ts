import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dbKind, openTestDatabase } from '../../test/support/db.ts';
import type { Database } from '../db/port.ts';
import type { Observation } from '../observe/events.ts';
import { snapshotKey } from './snapshot.ts';
import { readKeptCache, SchemaCacheStore } from './store.ts';

describe(`schema cache snapshot (${dbKind})`, () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Database;
  let dir: string;
  let path: string;
  before(async () => {
    t = await openTestDatabase();
    db = t.db;
    dir = mkdtempSync(join(tmpdir(), 'gw-snapshot-db-'));
    path = join(dir, 'schema-cache.json');
  });
  after(async () => {
    await t.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens a store on the snapshot and says where its cache came from. */
  async function open(): Promise<{ source: string | undefined; store: SchemaCacheStore }> {
    const seen: Observation[] = [];
    const store = await SchemaCacheStore.open(db, (e) => seen.push(e), 'start', { path });
    const loaded = seen.find((e) => e.type === 'schema-cache-loaded');
    return { source: loaded?.type === 'schema-cache-loaded' ? loaded.source : undefined, store };
  }

  it('introspects once, then loads the same cache from the snapshot while nothing changed', async () => {
    const first = await open();
    assert.equal(first.source, 'database');
    const second = await open();
    assert.equal(second.source, 'snapshot');
    assert.deepEqual([...second.store.current.relations.keys()].sort(), [...first.store.current.relations.keys()].sort());
    assert.deepEqual(second.store.current.routines, first.store.current.routines);
  });

  // Roles are the cluster's on PostgreSQL, shared with other tests: these use roles of their
  // own, made before and dropped after.
  const changes: Array<[name: string, ddl: string, setup?: string, cleanup?: string]> = [
    ['a new table', 'create table public.snap_a (id int primary key)'],
    ['a comment', "comment on table public.snap_a is 'described'"],
    ['a grant', 'grant select on public.snap_a to anon'],
    ['a dropped table', 'drop table public.snap_a'],
    ['a function', 'create function public.snap_f() returns int language sql as $$ select 1 $$'],
    ["a role's statement timeout", "alter role snap_timeout set statement_timeout = '4s'", 'create role snap_timeout', 'drop role snap_timeout'],
    ['a membership', 'grant snap_group to snap_user', 'create role snap_group; create role snap_user', 'drop role snap_user; drop role snap_group'],
  ];
  for (const [name, ddl, setup, cleanup] of changes) {
    it(`introspects again after ${name}`, async () => {
      if (setup !== undefined) await db.script(setup);
      try {
        await open(); // the snapshot is current
        await db.script(ddl);
        assert.equal((await open()).source, 'database');
        assert.equal((await open()).source, 'snapshot');
      } finally {
        if (cleanup !== undefined) await db.script(cleanup);
      }
    });
  }

  it('takes a snapshot read ahead only under its key', async () => {
    await open();
    const kept = readKeptCache(path);
    assert.ok(kept !== undefined);
    const seen: Observation[] = [];
    const ahead = await SchemaCacheStore.open(db, (e) => seen.push(e), 'start', { path, kept });
    assert.equal(ahead.current, kept.cache, 'the cache built ahead, not a new one');
    await db.script('create table public.snap_ahead (id int primary key)');
    const after = await SchemaCacheStore.open(db, () => undefined, 'start', { path, kept });
    assert.ok(after.current.relations.has('public.snap_ahead'), 'a stale read-ahead is not used');
  });

  it('sees the change a snapshot was taken before (the new table is there)', async () => {
    await open();
    await db.script('create table public.snap_b (id int primary key)');
    assert.ok((await open()).store.current.relations.has('public.snap_b'));
  });

  it('keeps the snapshot across temporary tables and DDL rolled back', async () => {
    await open();
    const before = await snapshotKey(db);
    await db.transaction(async (tx) => {
      await tx.script('create temporary table snap_tmp (id int) on commit drop');
    });
    await db.transaction(async (tx) => tx.script('create table public.snap_gone (id int)'), { rollback: true });
    assert.equal(await snapshotKey(db), before);
    assert.equal((await open()).source, 'snapshot');
  });

  it('tells a database bootstrapped anew from one that counted as far (a project reset)', async () => {
    await open();
    const before = await snapshotKey(db);
    // What a reset leaves: the same count of DDL, drawn by another bootstrap.
    await db.script("update _groundwork.schema_version set token = 'another bootstrap'");
    assert.notEqual(await snapshotKey(db), before);
    assert.equal((await open()).source, 'database');
  });

  it('trusts no snapshot where the DDL watch is off', async () => {
    await db.script('alter event trigger groundwork_ddl_watch disable');
    try {
      assert.equal(await snapshotKey(db), undefined);
      assert.equal((await open()).source, 'database');
      assert.equal((await open()).source, 'database');
    } finally {
      await db.script('alter event trigger groundwork_ddl_watch enable');
    }
  });
});
