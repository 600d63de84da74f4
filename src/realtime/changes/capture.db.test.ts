// Capture triggers follow the supabase_realtime publication as DDL changes it, on both
// databases: a table added gets one, for the actions the publication publishes; a table
// dropped from it loses it. (A database of this file's own: the publication is changed.)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openTestDatabase, dbKind } from '../../../test/support/db.ts';
import type { Database } from '../../db/port.ts';
import { sql } from '../../lib/sql.ts';

describe(`realtime capture triggers (${dbKind})`, () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Database;
  before(async () => {
    t = await openTestDatabase();
    db = t.db;
    await db.script('create table public.captured (id int primary key, v text)');
  });
  after(() => t.dispose());

  /** The capture trigger's actions on public.captured, as CREATE TRIGGER names them. */
  const actions = async (): Promise<string | null> => {
    const { rows } = await db.query<{ def: string | null }>(sql`
      select (select pg_get_triggerdef(oid) from pg_trigger where tgrelid = 'public.captured'::regclass and tgname = 'groundwork_realtime_capture') as def`);
    return /AFTER (.*) ON/.exec(rows[0]?.def ?? '')?.[1] ?? null;
  };
  const changes = async (): Promise<string[]> =>
    (await db.query<{ op: string }>(sql`select op from _groundwork.realtime_changes where relid = 'public.captured'::regclass order by id`)).rows.map((r) => r.op);

  it('installs, narrows and removes the trigger as the publication changes', async () => {
    assert.equal(await actions(), null);
    await db.script('alter publication supabase_realtime add table public.captured');
    assert.equal(await actions(), 'INSERT OR DELETE OR UPDATE');
    await db.script("alter publication supabase_realtime set (publish = 'insert, update')");
    assert.equal(await actions(), 'INSERT OR UPDATE');
    await db.script("insert into public.captured values (1, 'a'); update public.captured set v = 'b'; delete from public.captured");
    assert.deepEqual(await changes(), ['INSERT', 'UPDATE']);
    await db.script("alter publication supabase_realtime set (publish = 'insert, update, delete, truncate')");
    assert.equal(await actions(), 'INSERT OR DELETE OR UPDATE');
    await db.script('alter publication supabase_realtime drop table public.captured');
    assert.equal(await actions(), null);
  });
});
