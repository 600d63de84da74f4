// REST writes and RPC through supabase-js (and plain HTTP where supabase-js has no call):
// insert, bulk, upsert, update, delete, PUT, Prefer options, and functions of every shape.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { SupabaseClient } from '@supabase/supabase-js';
import { dbKind } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { supabase } from '../support/supabase.ts';

const project = join(import.meta.dirname, '../fixtures/rest');

describe(`REST writes and RPC through supabase-js (${dbKind})`, () => {
  let s: TestServer;
  let admin: SupabaseClient;
  let anon: SupabaseClient;
  const http = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    fetch(`${s.url}/rest/v1${path}`, { ...init, headers: { authorization: `Bearer ${s.gw.keys.serviceRole}`, 'content-type': 'application/json', ...init.headers } });
  before(async () => {
    s = await startTestServer({ projectDir: project, env: { GROUNDWORK_DB_TX_END: 'commit-allow-override' } });
    admin = supabase(s.url, s.gw.keys.serviceRole);
    anon = supabase(s.url, s.gw.keys.anon);
  });
  after(() => s.stop());

  it('inserts one row, 201 and no body by default', async () => {
    const r = await admin.from('actors').insert({ id: 10, name: 'Isabelle Huppert' });
    assert.deepEqual([r.error, r.status, r.data], [null, 201, null]);
  });

  it('inserts many rows and returns them with embeds', async () => {
    const r = await admin
      .from('films')
      .insert([
        { id: 10, title: 'A', director_id: 1 },
        { id: 11, title: 'B', year: 2001 },
      ])
      .select('id, title, year, directors(name)')
      .order('id');
    assert.equal(r.status, 201);
    assert.deepEqual(r.data, [
      { id: 10, title: 'A', year: null, directors: { name: 'Agnès Varda' } },
      { id: 11, title: 'B', year: 2001, directors: null },
    ]);
  });

  it('fills absent keys with defaults when defaultToNull is false', async () => {
    const r = await admin.from('orders').insert([{ total: 5 }, { total: 6, note: 'gift' }], { defaultToNull: false }).select('total, note').order('total');
    assert.deepEqual(r.data, [{ total: 5, note: 'none' }, { total: 6, note: 'gift' }]);
  });

  it('upserts: merge answers 200 when nothing was inserted, 201 when something was', async () => {
    const merged = await admin.from('kv').upsert({ k: 'a', v: 'merged' }).select();
    assert.deepEqual([merged.status, merged.data], [200, [{ k: 'a', v: 'merged' }]]);
    const created = await admin.from('kv').upsert([{ k: 'a', v: 'again' }, { k: 'n', v: 'new' }]).select().order('k');
    assert.deepEqual([created.status, created.data], [201, [{ k: 'a', v: 'again' }, { k: 'n', v: 'new' }]]);
    const ignored = await admin.from('kv').upsert({ k: 'a', v: 'ignored' }, { ignoreDuplicates: true }).select();
    assert.deepEqual(ignored.data, []);
  });

  it('upserts on another conflict target', async () => {
    await admin.from('addresses').insert({ id: 30, city: 'Nantes' });
    const r = await admin.from('addresses').upsert({ id: 30, city: 'Rennes' }, { onConflict: 'id' }).select('city');
    assert.deepEqual(r.data, [{ city: 'Rennes' }]);
  });

  it('updates with filters: 204 by default, rows with select, counts', async () => {
    const none = await admin.from('films').update({ rating: 5 }).eq('id', 11);
    assert.deepEqual([none.status, none.data], [204, null]);
    const r = await admin.from('films').update({ rating: 6 }, { count: 'exact' }).in('id', [10, 11]).select('id, rating').order('id');
    assert.deepEqual([r.status, r.count, r.data], [200, 2, [{ id: 10, rating: 6 }, { id: 11, rating: 6 }]]);
  });

  it('deletes with filters, returning what was deleted', async () => {
    const r = await admin.from('films').delete().eq('id', 11).select('title');
    assert.deepEqual([r.status, r.data], [200, [{ title: 'B' }]]);
    const gone = await admin.from('films').select('id').eq('id', 11);
    assert.deepEqual(gone.data, []);
  });

  it('rolls back on request (Prefer: tx=rollback)', async () => {
    const r = await admin.from('kv').insert({ k: 'tmp', v: 'x' }).select().rollback();
    assert.deepEqual(r.data, [{ k: 'tmp', v: 'x' }]);
    assert.deepEqual((await admin.from('kv').select().eq('k', 'tmp')).data, []);
  });

  it('refuses to change more rows than max-affected allows, and rolls back', async () => {
    const r = await http('/films?year=not.is.null', { method: 'PATCH', body: JSON.stringify({ rating: 1 }), headers: { prefer: 'handling=strict, max-affected=1' } });
    assert.equal(r.status, 400);
    assert.deepEqual(await r.json(), { code: 'PGRST124', message: 'Query result exceeds max-affected preference constraint', details: 'The query affects 4 rows', hint: null });
    assert.deepEqual((await admin.from('films').select('rating').eq('id', 2)).data, [{ rating: 8.2 }]);
  });

  it('reports constraint violations with PostgREST statuses', async () => {
    const dup = await admin.from('actors').insert({ id: 1, name: 'Dup' });
    assert.deepEqual([dup.status, (dup.error as { code: string }).code], [409, '23505']);
    const fk = await admin.from('films').insert({ id: 50, title: 'x', director_id: 99 });
    assert.deepEqual([fk.status, (fk.error as { code: string }).code], [409, '23503']);
    const notNull = await admin.from('films').insert({ id: 51 });
    assert.deepEqual([notNull.status, (notNull.error as { code: string }).code], [400, '23502']);
    const column = await admin.from('films').insert({ id: 52, title: 't', oops: 1 });
    assert.deepEqual([column.status, (column.error as { code: string }).code], [400, 'PGRST204']);
  });

  it('enforces privileges and RLS: anon may read kv but not write it', async () => {
    assert.equal((await anon.from('kv').select('k').eq('k', 'b')).data?.length, 1);
    const w = await anon.from('kv').insert({ k: 'x', v: 'y' });
    assert.deepEqual([w.status, (w.error as { code: string }).code], [401, '42501']);
  });

  it('PUT upserts one row by primary key', async () => {
    const created = await http('/kv?k=eq.put', { method: 'PUT', body: JSON.stringify({ k: 'put', v: '1' }), headers: { prefer: 'return=representation' } });
    assert.deepEqual([created.status, await created.json()], [201, [{ k: 'put', v: '1' }]]);
    const updated = await http('/kv?k=eq.put', { method: 'PUT', body: JSON.stringify({ k: 'put', v: '2' }), headers: { prefer: 'return=representation' } });
    assert.deepEqual([updated.status, await updated.json()], [200, [{ k: 'put', v: '2' }]]);
    const mismatch = await http('/kv?k=eq.put', { method: 'PUT', body: JSON.stringify({ k: 'other', v: '3' }) });
    assert.deepEqual([mismatch.status, ((await mismatch.json()) as { code: string }).code], [400, 'PGRST115']);
  });

  it('answers headers-only inserts with a Location', async () => {
    const r = await http('/kv', { method: 'POST', body: JSON.stringify({ k: 'loc', v: 'x' }), headers: { prefer: 'return=headers-only' } });
    assert.equal(r.status, 201);
    assert.equal(r.headers.get('location'), '/kv?k=eq.loc');
    assert.equal(r.headers.get('content-range'), '*/*');
    assert.equal(r.headers.get('preference-applied'), 'return=headers-only');
  });

  it('lists the preferences it applied, in PostgREST order', async () => {
    const up = await http('/kv', { method: 'POST', body: JSON.stringify([{ k: 'pa', v: '1' }]), headers: { prefer: 'count=exact, return=representation, resolution=merge-duplicates, missing=default, bogus' } });
    assert.equal(up.headers.get('preference-applied'), 'resolution=merge-duplicates, missing=default, return=representation, count=exact');
    assert.equal(up.headers.get('content-range'), '*/1');
    const patch = await http('/kv?k=eq.pa', { method: 'PATCH', body: '{"v":"2"}', headers: { prefer: 'handling=strict, max-affected=5, return=minimal' } });
    assert.equal(patch.status, 204);
    assert.equal(patch.headers.get('preference-applied'), 'return=minimal, handling=strict, max-affected=5');
  });

  it('reads CSV and form bodies', async () => {
    const csv = await http('/actors', { method: 'POST', body: 'id,name\n20,"Anna Karina"\n21,Jean Seberg', headers: { 'content-type': 'text/csv', prefer: 'return=representation' } });
    assert.deepEqual(await csv.json(), [{ id: 20, name: 'Anna Karina' }, { id: 21, name: 'Jean Seberg' }]);
    const form = await http('/actors', { method: 'POST', body: 'id=22&name=Delphine+Seyrig', headers: { 'content-type': 'application/x-www-form-urlencoded', prefer: 'return=representation' } });
    assert.deepEqual(await form.json(), [{ id: 22, name: 'Delphine Seyrig' }]);
  });

  // RPC
  const rpc: Array<[string, (c: SupabaseClient) => PromiseLike<{ data: unknown; error: unknown; status: number; count?: number | null }>, unknown, number]> = [
    ['scalar over POST', (c) => c.rpc('add', { a: 2, b: 3 }), 5, 200],
    ['scalar over GET, default argument', (c) => c.rpc('add', { a: 2 }, { get: true }), 3, 200],
    ['no arguments', (c) => c.rpc('hello'), 'Hello', 200],
    ['void answers 204', (c) => c.rpc('noop'), null, 204],
    ['set of rows with select, filter, order and embed', (c) => c.rpc('films_since', { y: 1950 }).select('title, directors(name)').lt('id', 4).order('id', { ascending: false }), [
      { title: 'Seven Samurai', directors: { name: 'Akira Kurosawa' } },
      { title: 'Rashomon', directors: { name: 'Akira Kurosawa' } },
      { title: 'Cléo from 5 to 7', directors: { name: 'Agnès Varda' } },
    ], 200],
    ['single row is an object', (c) => c.rpc('film_by_id', { fid: 2 }).select('title'), { title: 'Rashomon' }, 200],
    ['set of scalars', (c) => c.rpc('numbers', { n: 3 }), [1, 2, 3], 200],
    // 5 seeded films, +10 and +11 inserted above, -11 deleted.
    ['OUT parameters are an object', (c) => c.rpc('stats'), { films: 6, directors: 3 }, 200],
    ['a single unnamed json argument takes the body', (c) => c.rpc('echo', { any: ['thing'] }), { any: ['thing'] }, 200],
    ['VARIADIC over GET', (c) => c.rpc('sum_all', { nums: [1, 2, 3] }, { get: true }), 6, 200],
    ['overloads by argument names', (c) => c.rpc('overloaded', { a: 1, b: 2 }), 'int,int', 200],
    // Logged in as authenticator, which holds nothing itself, switched to the caller's role.
    ['runs as the caller', (c) => c.rpc('whoami'), { role: 'anon', login: 'authenticator', sub: null, method: 'POST' }, 200],
  ];
  for (const [name, run, data, status] of rpc) {
    it(`rpc: ${name}`, async () => {
      const r = await run(anon);
      assert.equal(r.error, null, JSON.stringify(r.error));
      assert.deepEqual([r.status, r.data], [status, data]);
    });
  }

  it('rpc: counts rows of set-returning functions', async () => {
    const r = await anon.rpc('numbers', { n: 7 }, { count: 'exact', head: true });
    assert.deepEqual([r.status, r.count], [200, 7]);
  });

  it('rpc: response.status and response.headers set in SQL', async () => {
    const res = await http('/rpc/teapot', { method: 'POST', body: '{}' });
    assert.equal(res.status, 418);
    assert.equal(res.headers.get('x-tea'), 'earl grey');
    assert.equal(await res.json(), 'short and stout');
  });

  it('rpc: RAISE EXCEPTION is 400 P0001 with the message', async () => {
    const r = await anon.rpc('fail_with', { msg: 'no way' });
    assert.equal(r.status, 400);
    assert.deepEqual(r.error, { code: 'P0001', message: 'no way', details: null, hint: null });
  });

  it('rpc: GET runs read-only, so a writing function is refused with 405', async () => {
    const r = await admin.rpc('set_kv', { key: 'g', value: 'v' }, { get: true });
    assert.deepEqual([r.status, (r.error as { code: string }).code], [405, '25006']);
    const ok = await admin.rpc('set_kv', { key: 'g', value: 'v' });
    assert.deepEqual([ok.status, ok.data], [200, 'v']);
  });

  it('rpc: unknown function and unknown arguments are PGRST202', async () => {
    const r = await anon.rpc('add', { x: 1 });
    assert.equal(r.status, 404);
    assert.equal((r.error as { message: string }).message, 'Could not find the function public.add(x) in the schema cache');
  });
});
