import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from '../lib/sql.ts';
import { silentProgress } from '../lib/progress.ts';
import { openTestDatabase, dbKind } from '../../test/support/db.ts';
import type { Database } from '../db/port.ts';
import { migrateUp } from '../migrations/runner.ts';
import type { Observation } from '../observe/events.ts';
import { buildSchemaCache } from './build.ts';
import { SchemaCacheStore, loadSchemaCache } from './store.ts';

const root = join(import.meta.dirname, '../..');
const until = async (check: () => boolean, ms = 10_000) => {
  for (const started = Date.now(); Date.now() - started < ms; await new Promise((r) => setTimeout(r, 20))) if (check()) return true;
  return check();
};

describe(`schema cache (${dbKind})`, () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Database;
  let store: SchemaCacheStore;
  const events: Observation[] = [];
  before(async () => {
    t = await openTestDatabase();
    db = t.db;
    await migrateUp(db, join(root, 'examples/blog'), silentProgress);
    store = await SchemaCacheStore.open(db, (e) => events.push(e));
    await store.watch();
  });
  after(async () => {
    await store.stop();
    await t.dispose();
  });

  it('introspects the blog exactly as the committed fixture describes it', async () => {
    const live = await loadSchemaCache(db);
    const fixture = buildSchemaCache(JSON.parse(readFileSync(join(root, 'src/schema-cache/fixtures/blog.json'), 'utf8')));
    for (const name of ['public.profiles', 'public.posts', 'public.comments', 'auth.users']) {
      assert.deepEqual(live.relations.get(name), fixture.relations.get(name), name);
    }
    assert.deepEqual(
      live.foreignKeys.filter((f) => f.schema === 'public'),
      fixture.foreignKeys.filter((f) => f.schema === 'public'),
    );
    assert.deepEqual([...live.roles].sort(), ['anon', 'authenticated', 'authenticator', 'service_role']);
    assert.ok(live.schemas.includes('public') && live.schemas.includes('auth') && !live.schemas.includes('_groundwork'));
  });

  it("reloads on NOTIFY pgrst, 'reload schema', and swaps the whole value", async () => {
    const before = store.current;
    await db.script("create table public.added (id int primary key); notify pgrst, 'reload schema';");
    assert.ok(await until(() => store.current.relations.has('public.added')));
    assert.notEqual(store.current, before);
    assert.equal(before.relations.has('public.added'), false, 'the old value is untouched');
  });

  const reloads = () => events.filter((e) => e.type === 'schema-cache-loaded' && e.reason === 'notify').length;
  const settle = () => new Promise((r) => setTimeout(r, 300));

  it('reloads on an empty payload and ignores other payloads', async () => {
    await settle();
    const start = reloads();
    await db.query(sql`select pg_notify('pgrst', 'reload config')`);
    await settle();
    assert.equal(reloads(), start, "'reload config' is not a schema reload");
    await db.query(sql`select pg_notify('pgrst', '')`);
    assert.ok(await until(() => reloads() === start + 1));
  });

  it('reloads by itself after DDL (event trigger)', async () => {
    await db.script('create table public.by_ddl (id int)');
    assert.ok(await until(() => store.current.relations.has('public.by_ddl')));
    await db.script('drop table public.by_ddl');
    assert.ok(await until(() => !store.current.relations.has('public.by_ddl')));
    await db.script('create view public.v_ddl as select 1 as x');
    assert.ok(await until(() => store.current.relations.get('public.v_ddl')?.kind === 'view'));
  });

  it('coalesces a burst of notifications into few reloads', async () => {
    await settle();
    const start = reloads();
    for (let i = 0; i < 10; i++) await db.query(sql`select pg_notify('pgrst', 'reload schema')`);
    await until(() => reloads() > start);
    await settle();
    assert.ok(reloads() - start >= 1 && reloads() - start <= 3, `reloads: ${reloads() - start}`);
  });

  it('keeps the previous cache when a reload fails', async () => {
    const other = await openTestDatabase();
    const seen: Observation[] = [];
    const lonely = await SchemaCacheStore.open(other.db, (e) => seen.push(e));
    const kept = lonely.current;
    await other.db.close();
    assert.equal(await lonely.reload('test'), kept);
    assert.equal(lonely.current, kept);
    assert.ok(seen.some((e) => e.type === 'schema-cache-failed'));
    await other.dispose().catch(() => undefined);
  });
});
