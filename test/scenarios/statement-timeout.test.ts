// One slow query never holds the server: through the real server, an anonymous call of a
// slow function stops at anon's statement_timeout (3 s, Supabase's value) with 57014 on
// both databases, and a migration changes that the Supabase way. On the embedded database,
// whose one session serves everyone, /health says "busy" at once while it runs, requests
// behind it are served once it stops, and a client that leaves frees the session.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dbKind } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { mintToken } from '../support/tokens.ts';

const SLOW = `
create function public.slow(s float8) returns int language sql as 'select 1 from pg_sleep(s)';
grant execute on function public.slow(float8) to anon, authenticated;
create table public.notes (id int primary key);
grant select on public.notes to anon;
`;

describe(`statement timeouts through REST (${dbKind})`, () => {
  let s: TestServer;
  let anon: Record<string, string>;
  const rpc = (seconds: number, headers: Record<string, string>, signal?: AbortSignal) =>
    fetch(`${s.url}/rest/v1/rpc/slow?s=${seconds}`, { headers, ...(signal === undefined ? {} : { signal }) });

  before(async () => {
    s = await startTestServer();
    await s.gw.db.admin.script(SLOW);
    await s.gw.schema.reload('test');
    anon = { apikey: s.gw.keys.anon, authorization: `Bearer ${s.gw.keys.anon}` };
  });
  after(() => s.stop());

  it("stops an anonymous call at anon's 3 s with 57014", async () => {
    const started = performance.now();
    const res = await rpc(10, anon);
    const took = performance.now() - started;
    const body = (await res.json()) as { code?: string; message?: string };
    assert.equal(res.status, 500);
    assert.equal(body.code, '57014');
    assert.equal(body.message, 'canceling statement due to statement timeout');
    assert.ok(took >= 2900 && took < 6000, `answered after ${Math.round(took)} ms`);
  });

  it('lets an authenticated call run past 3 s (its limit is 8 s)', async () => {
    const token = await mintToken({ sub: '11111111-1111-4111-8111-111111111111', role: 'authenticated', exp: Math.floor(Date.now() / 1000) + 600 });
    const res = await rpc(3.3, { apikey: s.gw.keys.anon, authorization: `Bearer ${token}` });
    assert.equal(res.status, 200, await res.text());
  });

  it('takes a changed limit from a role setting after a schema reload', async () => {
    await s.gw.db.admin.script(`alter role anon set statement_timeout = '1s'`);
    try {
      await s.gw.schema.reload('test');
      const started = performance.now();
      const res = await rpc(10, anon);
      assert.equal(res.status, 500);
      assert.ok(performance.now() - started < 4000);
    } finally {
      await s.gw.db.admin.script(`alter role anon set statement_timeout = '3s'`);
      await s.gw.schema.reload('test');
    }
  });

  if (dbKind === 'pglite') {
    it('answers /health at once with "busy" while a slow call holds the session, and serves the queue after', async () => {
      const slow = rpc(2.5, anon);
      await new Promise((r) => setTimeout(r, 300));
      const started = performance.now();
      const health = await fetch(`${s.url}/health`);
      const took = performance.now() - started;
      const body = (await health.json()) as { database?: { status?: string; busy_ms?: number } };
      assert.equal(health.status, 200);
      assert.equal(body.database?.status, 'busy');
      assert.ok(took < 200, `health took ${Math.round(took)} ms`);
      const queued = await fetch(`${s.url}/rest/v1/notes`, { headers: anon });
      assert.equal(queued.status, 200);
      assert.equal((await slow).status, 200);
    });

    it('frees the session when the client of a slow call goes away', async () => {
      // The session is free (an earlier test's restart is over) before the slow call starts.
      assert.equal((await fetch(`${s.url}/rest/v1/notes`, { headers: anon })).status, 200);
      const gone = new AbortController();
      const slow = rpc(10, anon, gone.signal).catch((e: unknown) => e);
      await new Promise((r) => setTimeout(r, 300));
      gone.abort();
      await slow;
      const next = await fetch(`${s.url}/rest/v1/notes`, { headers: anon });
      assert.equal(next.status, 200);
      // Stopped because its client left, not at anon's timeout.
      assert.deepEqual(
        s.events.flatMap((e) => (e.type === 'db-worker-restarted' ? [e.reason] : [])).slice(-1),
        ['abort'],
      );
    });
  }
});
