// postgres_changes through supabase-js on both protocol versions: every event type, the
// payload's shape and types, filters, column lists, column privileges, tables left out of the
// publication, and one subscriber's failing check not holding up the others.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { RealtimePostgresChangesPayload, SupabaseClient } from '@supabase/supabase-js';
import { dbKind } from '../support/db.ts';
import { changesLive, Inbox, realtimeClient, signedInClient, startRealtime, stopRealtime, subscribed, VERSIONS, type Vsn } from '../support/realtime.ts';
import type { TestServer } from '../support/server.ts';
import { mintToken } from '../support/tokens.ts';

const project = join(import.meta.dirname, '../fixtures/realtime');
type Change = RealtimePostgresChangesPayload<Record<string, unknown>>;

describe(`realtime postgres_changes (${dbKind})`, () => {
  let server: TestServer;
  let admin: SupabaseClient;
  const clients: SupabaseClient[] = [];

  before(async () => ({ server, admin } = await startRealtime(project)));
  after(() => stopRealtime(server, clients));

  /** Subscribes one binding and waits until changes are live. */
  async function listen(vsn: Vsn, binding: { event: '*' | 'INSERT' | 'UPDATE' | 'DELETE'; schema: string; table?: string; filter?: string }, token?: string, key = server.gw.keys.anon): Promise<Inbox<Change>> {
    const c = token === undefined ? realtimeClient(server.url, key, vsn) : await signedInClient(server.url, key, vsn, token);
    clients.push(c);
    const inbox = new Inbox<Change>();
    const ch = c.channel(`changes-${Math.random()}`).on('postgres_changes', binding, inbox.push);
    const live = changesLive(ch);
    await subscribed(ch);
    await live;
    return inbox;
  }

  for (const vsn of VERSIONS) {
    it(`delivers INSERT, UPDATE and DELETE with Supabase's payload (vsn ${vsn})`, async () => {
      const inbox = await listen(vsn, { event: '*', schema: 'public', table: 'open_items' });
      const { data } = await admin.from('open_items').insert({ name: `a-${vsn}`, qty: 1 }).select('id').single();
      const id = (data as { id: string }).id;
      await admin.from('open_items').update({ qty: 2 }).eq('id', id);
      await admin.from('open_items').delete().eq('id', id);
      const [ins, upd, del] = await inbox.atLeast(3);
      assert.equal(ins?.eventType, 'INSERT');
      assert.deepEqual(ins?.new, { id, name: `a-${vsn}`, qty: 1 });
      assert.deepEqual(ins?.old, {});
      assert.equal(ins?.schema, 'public');
      assert.equal(ins?.table, 'open_items');
      assert.match(ins?.commit_timestamp ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(upd?.eventType, 'UPDATE');
      assert.deepEqual(upd?.new, { id, name: `a-${vsn}`, qty: 2 });
      assert.deepEqual(upd?.old, { id }, 'without REPLICA IDENTITY FULL the old row is its key');
      assert.equal(del?.eventType, 'DELETE');
      assert.deepEqual(del?.old, { id });
      assert.deepEqual(del?.new, {});
    });
  }

  it('delivers only the events a binding names', async () => {
    const inserts = await listen('2.0.0', { event: 'INSERT', schema: 'public', table: 'open_items' });
    const deletes = await listen('2.0.0', { event: 'DELETE', schema: 'public', table: 'open_items' });
    const { data } = await admin.from('open_items').insert({ name: 'events' }).select('id').single();
    await admin.from('open_items').delete().eq('id', (data as { id: string }).id);
    assert.deepEqual((await inserts.atLeast(1)).map((c) => c.eventType), ['INSERT']);
    assert.deepEqual((await deletes.atLeast(1)).map((c) => c.eventType), ['DELETE']);
    assert.equal((await inserts.after(150)).length, 1);
  });

  // Each filter against the same three inserted rows: which of them pass.
  const rows = [
    { room: 'f-lobby', body: 'Hello', score: 1, tags: ['a'] },
    { room: 'f-lobby', body: 'help me', score: 5, tags: ['b'] },
    { room: 'f-other', body: 'bye', score: 10, tags: [] },
  ];
  // Expected bodies in sorted order (one insert of three rows: their order is REST's matter).
  const filters: Array<[string, string[]]> = [
    ['room=eq.f-lobby', ['Hello', 'help me']],
    ['room=neq.f-lobby', ['bye']],
    ['score=lt.5', ['Hello']],
    ['score=lte.5', ['Hello', 'help me']],
    ['score=gt.1', ['bye', 'help me']],
    ['score=gte.10', ['bye']],
    ['score=in.(1, 10)', ['Hello', 'bye']],
    ['body=like.he%', ['help me']],
    ['body=ilike.he%', ['Hello', 'help me']],
    ['body=match.^b', ['bye']],
    ['body=imatch.^H', ['Hello', 'help me']],
    ['score=not.eq.5', ['Hello', 'bye']],
    ['score=gt.0,score=lt.10', ['Hello', 'help me']],
    ['meta=is.null', ['Hello', 'bye', 'help me']],
    ['score=isdistinct.5', ['Hello', 'bye']],
    ['body=eq."help me"', ['help me']],
  ];
  it('applies every filter operator, as Supabase evaluates them', async () => {
    // As service_role: notes' policy hides these rooms from everyone else.
    const inboxes = await Promise.all(filters.map(([filter]) => listen('2.0.0', { event: 'INSERT', schema: 'public', table: 'notes', filter: `room=like.f-%,${filter}` }, server.gw.keys.serviceRole)));
    await admin.from('notes').insert(rows.map((r) => ({ ...r, room: r.room })));
    // The first filter passes two rows: once they are in, the batch has been delivered.
    await inboxes[0]?.atLeast(2, 10_000);
    await new Promise((r) => setTimeout(r, 200));
    filters.forEach(([filter, expected], i) => {
      const got = (inboxes[i]?.items ?? []).map((c) => (c.new as { body: string }).body).sort();
      assert.deepEqual(got, expected, filter);
    });
  });

  it('takes into a schema-wide binding a table published after it subscribed', async () => {
    const inbox = await listen('2.0.0', { event: 'INSERT', schema: 'public' });
    await server.gw.db.admin.script(`
      create table public.late_items (id int primary key, v text);
      alter publication supabase_realtime add table public.late_items;`);
    // The feed plans again once the schema cache has seen the DDL.
    for (let i = 0; i < 200 && !server.gw.schema.current.relations.has('public.late_items'); i++) await new Promise((r) => setTimeout(r, 25));
    await admin.from('late_items').insert({ id: 1, v: 'late' });
    for (let i = 0; i < 200 && !inbox.items.some((c) => c.table === 'late_items'); i++) await new Promise((r) => setTimeout(r, 25));
    const got = inbox.items.find((c) => c.table === 'late_items');
    assert.deepEqual(got?.new, { id: 1, v: 'late' });
  });

  it('narrows the payload to a select list plus the primary key', async () => {
    const c = realtimeClient(server.url, server.gw.keys.anon, '2.0.0');
    clients.push(c);
    const inbox = new Inbox<Change>();
    const ch = c.channel('select-list').on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'notes', filter: 'room=eq.lobby', select: ['body'] } as never, inbox.push);
    const live = changesLive(ch);
    await subscribed(ch);
    await live;
    await admin.from('notes').insert({ room: 'lobby', body: 'narrow', score: 3 });
    const [got] = await inbox.atLeast(1);
    assert.deepEqual(Object.keys(got?.new ?? {}).sort(), ['body', 'id']);
  });

  it('leaves out the columns the role may not read', async () => {
    const inbox = await listen('2.0.0', { event: 'INSERT', schema: 'public', table: 'accounts' });
    await admin.from('accounts').insert({ id: 1, owner: 'o', secret: 's' });
    const [got] = await inbox.atLeast(1);
    assert.deepEqual(got?.new, { id: 1, owner: 'o' });
  });

  it('refuses a table outside the publication, and a bad filter, with a system error', async () => {
    const c = realtimeClient(server.url, server.gw.keys.anon, '2.0.0');
    clients.push(c);
    for (const binding of [
      { event: '*', schema: 'public', table: 'hidden' },
      { event: '*', schema: 'public', table: 'notes', filter: 'score=eq.abc' },
      { event: '*', schema: 'public', table: 'notes', filter: 'nope' },
    ] as const) {
      const ch = c.channel(`refused-${binding.table}-${binding.filter ?? ''}`).on('postgres_changes', binding, () => undefined);
      const live = changesLive(ch);
      await subscribed(ch);
      await assert.rejects(live);
    }
  });

  it("keeps delivering to others when one subscriber's check fails", async () => {
    const ok = await listen('2.0.0', { event: 'INSERT', schema: 'public', table: 'fragile' }, await mintToken({ role: 'authenticated', sub: 'x', level: '1', exp: Math.floor(Date.now() / 1000) + 600 }));
    const c = await signedInClient(server.url, server.gw.keys.anon, '2.0.0', await mintToken({ role: 'authenticated', sub: 'y', level: 'abc', exp: Math.floor(Date.now() / 1000) + 600 }));
    clients.push(c);
    const errors = new Inbox<{ status?: string; message?: string }>();
    const ch = c.channel('fragile-bad').on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'fragile' }, () => assert.fail('must not receive the row'));
    const live = changesLive(ch);
    ch.on('system', {}, errors.push);
    await subscribed(ch);
    await live;
    await admin.from('fragile').insert({ id: 1, v: 'one' });
    assert.equal((await ok.atLeast(1))[0]?.eventType, 'INSERT');
    const got = await errors.atLeast(2);
    assert.equal(got[1]?.status, 'error');
    assert.match(got[1]?.message ?? '', /invalid input syntax for type integer/);
  });
});
