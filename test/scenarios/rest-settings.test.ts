// Settings every API request runs with, through the real server on both databases. JIT is
// off for requests (deep embeds crossed jit_above_cost and spent far longer compiling than
// running), and a function that wants it back says so in its own definition.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from '../../src/lib/sql.ts';
import { dbKind } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const FUNCTIONS = `
create function public.jit_setting() returns text language sql stable as $$ select current_setting('jit') $$;
create function public.jit_wanted() returns text language sql stable set jit = on as $$ select current_setting('jit') $$;
grant execute on function public.jit_setting(), public.jit_wanted() to anon;
`;

describe(`request settings through REST (${dbKind})`, () => {
  let s: TestServer;
  let anon: Record<string, string>;
  const rpc = async (name: string) => {
    const res = await fetch(`${s.url}/rest/v1/rpc/${name}`, { headers: anon });
    return { status: res.status, body: (await res.json()) as unknown };
  };

  before(async () => {
    s = await startTestServer();
    await s.gw.db.admin.script(FUNCTIONS);
    await s.gw.schema.reload('test');
    anon = { apikey: s.gw.keys.anon, authorization: `Bearer ${s.gw.keys.anon}` };
  });
  after(() => s.stop());

  it('runs requests with JIT off, whatever the database default', async () => {
    const { rows } = await s.gw.db.admin.query<{ jit: string }>(sql`select current_setting('jit') as jit`);
    assert.equal(rows[0]?.jit, 'on', 'PostgreSQL and PGlite default to jit = on');
    assert.deepEqual(await rpc('jit_setting'), { status: 200, body: 'off' });
  });

  it("lets a function's own `set jit = on` win", async () => {
    assert.deepEqual(await rpc('jit_wanted'), { status: 200, body: 'on' });
  });
});
