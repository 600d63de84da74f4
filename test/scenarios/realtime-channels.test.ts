// Presence, private channels (RLS on realtime.messages) and broadcast from the database
// (realtime.send, broadcast_changes, replay) through supabase-js.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { SupabaseClient } from '@supabase/supabase-js';
import { dbKind } from '../support/db.ts';
import { Inbox, realtimeClient, signedInClient, startRealtime, stopRealtime, subscribed, VERSIONS } from '../support/realtime.ts';
import type { TestServer } from '../support/server.ts';
import { ALICE, BOB, mintToken } from '../support/tokens.ts';

const project = join(import.meta.dirname, '../fixtures/realtime');
const hour = () => Math.floor(Date.now() / 1000) + 3600;

describe(`realtime channels (${dbKind})`, () => {
  let server: TestServer;
  let admin: SupabaseClient;
  let alice: string;
  let bob: string;
  const clients: SupabaseClient[] = [];
  const anonClient = (vsn: '1.0.0' | '2.0.0' = '2.0.0') => {
    const c = realtimeClient(server.url, server.gw.keys.anon, vsn);
    clients.push(c);
    return c;
  };
  const userClient = async (token: string, vsn: '1.0.0' | '2.0.0' = '2.0.0') => {
    const c = await signedInClient(server.url, server.gw.keys.anon, vsn, token);
    clients.push(c);
    return c;
  };

  before(async () => {
    ({ server, admin } = await startRealtime(project));
    alice = await mintToken({ role: 'authenticated', sub: ALICE, exp: hour() });
    bob = await mintToken({ role: 'authenticated', sub: BOB, exp: hour() });
  });
  after(() => stopRealtime(server, clients));

  for (const vsn of VERSIONS) {
    it(`tracks presence: state, joins, updates and leaves on disconnect (vsn ${vsn})`, async () => {
      const a = anonClient(vsn);
      const b = anonClient(vsn);
      const topic = `presence-${vsn}`;
      const joins = new Inbox<{ key: string }>();
      const leaves = new Inbox<{ key: string }>();
      const chA = a.channel(topic, { config: { presence: { key: 'a' } } }).on('presence', { event: 'join' }, joins.push).on('presence', { event: 'leave' }, leaves.push);
      await subscribed(chA);
      assert.equal(await chA.track({ name: 'Ann' }), 'ok');
      const chB = b.channel(topic, { config: { presence: { key: 'b' } } }).on('presence', { event: 'sync' }, () => undefined);
      await subscribed(chB);
      assert.equal(await chB.track({ name: 'Ben' }), 'ok');
      await joins.atLeast(2);
      const state = chA.presenceState<{ name: string }>();
      assert.deepEqual(Object.keys(state).sort(), ['a', 'b']);
      assert.equal(state['b']?.[0]?.name, 'Ben');
      assert.equal(typeof state['b']?.[0]?.presence_ref, 'string');
      // B sees A, who tracked before B joined, through presence_state.
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(Object.keys(chB.presenceState()).sort(), ['a', 'b']);
      assert.equal(await chB.track({ name: 'Benjamin' }), 'ok');
      const [, , update] = await joins.atLeast(3);
      // An update is a join of the new meta and a leave of the old one, as Phoenix sends it.
      // (realtime-js's join callback strips the old meta's phx_ref in place, so the client's
      // state keeps it: the same happens against Supabase.)
      assert.deepEqual((update as unknown as { newPresences: Array<{ name: string }> }).newPresences.map((p) => p.name), ['Benjamin']);
      const [updateLeave] = await leaves.atLeast(1);
      assert.deepEqual((updateLeave as unknown as { leftPresences: Array<{ name: string }> }).leftPresences.map((p) => p.name), ['Ben']);
      await b.removeAllChannels();
      const [, left] = await leaves.atLeast(2);
      assert.equal(left?.key, 'b');
      assert.deepEqual((left as unknown as { leftPresences: Array<{ name: string }> }).leftPresences.map((p) => p.name), ['Benjamin']);
    });
  }

  it('admits private channels by the read policy and refuses the rest', async () => {
    const member = await userClient(alice);
    await subscribed(member.channel('room-1', { config: { private: true } }));
    await assert.rejects(subscribed(member.channel('secret-1', { config: { private: true } })), /Unauthorized: You do not have permissions to read from this Channel topic: secret-1/);
    await assert.rejects(subscribed(anonClient().channel('room-1', { config: { private: true } })), /Unauthorized/);
  });

  it('delivers private sends only where the insert policy allows, apart from public channels of that name', async () => {
    const a = await userClient(alice);
    const b = await userClient(bob);
    const open = new Inbox<unknown>();
    const closed = new Inbox<unknown>();
    const publicTwin = new Inbox<unknown>();
    await subscribed(b.channel('room-open-1', { config: { private: true } }).on('broadcast', { event: '*' }, open.push));
    await subscribed(b.channel('room-2', { config: { private: true } }).on('broadcast', { event: '*' }, closed.push));
    await subscribed(anonClient().channel('room-open-1').on('broadcast', { event: '*' }, publicTwin.push));
    const sendOpen = await subscribed(a.channel('room-open-1', { config: { private: true } }));
    const sendClosed = await subscribed(a.channel('room-2', { config: { private: true } }));
    await sendOpen.send({ type: 'broadcast', event: 'hi', payload: { n: 1 } });
    await sendClosed.send({ type: 'broadcast', event: 'hi', payload: { n: 2 } });
    assert.deepEqual((await open.atLeast(1))[0], { type: 'broadcast', event: 'hi', payload: { n: 1 } });
    assert.equal((await closed.after(200)).length, 0);
    assert.equal(publicTwin.items.length, 0);
  });

  it('broadcasts from SQL: realtime.send to public and private channels', async () => {
    const pub = new Inbox<{ payload: { msg: string; id: string }; meta?: { id: string } }>();
    const priv = new Inbox<{ payload: { msg: string } }>();
    await subscribed(anonClient('1.0.0').channel('town').on('broadcast', { event: 'shout' }, pub.push));
    await subscribed((await userClient(alice)).channel('room-town', { config: { private: true } }).on('broadcast', { event: 'shout' }, priv.push));
    await admin.rpc('shout', { topic: 'town', msg: 'hello' });
    await admin.rpc('shout', { topic: 'room-town', msg: 'psst', is_private: true });
    const [got] = await pub.atLeast(1);
    assert.equal(got?.payload.msg, 'hello');
    assert.equal(got?.meta?.id, got?.payload.id);
    assert.equal((await priv.atLeast(1))[0]?.payload.msg, 'psst');
  });

  it('broadcasts row changes from a trigger with broadcast_changes', async () => {
    const inbox = new Inbox<{ event: string; payload: { operation: string; record: unknown; old_record: unknown; table: string; schema: string } }>();
    await subscribed((await userClient(alice)).channel('room-feed', { config: { private: true } }).on('broadcast', { event: '*' }, inbox.push));
    await admin.from('feed_items').insert({ id: 1, title: 'first' });
    await admin.from('feed_items').update({ title: 'second' }).eq('id', 1);
    const [ins, upd] = await inbox.atLeast(2);
    assert.equal(ins?.event, 'INSERT');
    assert.deepEqual({ ...ins?.payload, id: undefined }, { operation: 'INSERT', record: { id: 1, title: 'first' }, old_record: null, table: 'feed_items', schema: 'public', id: undefined });
    assert.deepEqual(upd?.payload.old_record, { id: 1, title: 'first' });
  });

  it('replays stored messages to a private channel that asks, oldest first', async () => {
    const since = Date.now() - 1000;
    await admin.rpc('shout', { topic: 'room-replay', msg: 'one', is_private: true });
    await admin.rpc('shout', { topic: 'room-replay', msg: 'two', is_private: true });
    const inbox = new Inbox<{ payload: { msg: string }; meta?: { replayed?: boolean } }>();
    const c = await userClient(alice);
    await subscribed(c.channel('room-replay', { config: { private: true, broadcast: { replay: { since, limit: 10 } } } }).on('broadcast', { event: 'shout' }, inbox.push));
    const got = await inbox.atLeast(2);
    assert.deepEqual(got.map((m) => [m.payload.msg, m.meta?.replayed]), [['one', true], ['two', true]]);
  });
});
