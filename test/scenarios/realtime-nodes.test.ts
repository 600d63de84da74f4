// Several Groundwork nodes over one PostgreSQL: broadcasts (small and past NOTIFY's size),
// presence and postgres_changes reach subscribers on every node, once each; and a node
// killed mid-stream loses no committed change for the subscribers on the others.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { RealtimePostgresChangesPayload, SupabaseClient } from '@supabase/supabase-js';
import { collect, dbEnv, spawnCli } from '../support/cli.ts';
import { dbKind } from '../support/db.ts';
import { changesLive, Inbox, realtimeClient, subscribed } from '../support/realtime.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { supabase } from '../support/supabase.ts';

const project = join(import.meta.dirname, '../fixtures/realtime');
type Change = RealtimePostgresChangesPayload<Record<string, unknown>>;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

// One PostgreSQL shared by several processes: server mode only (PGlite is one process's).
if (dbKind === 'postgres') {
  describe('realtime across nodes (postgres)', () => {
    let a: TestServer;
    let b: TestServer;
    const clients: SupabaseClient[] = [];
    const client = (server: TestServer | string) => {
      const c = realtimeClient(typeof server === 'string' ? server : server.url, a.gw.keys.anon, '2.0.0');
      clients.push(c);
      return c;
    };

    before(async () => {
      a = await startTestServer({ projectDir: project });
      b = await startTestServer({ database: a.database, env: {} });
    });
    after(async () => {
      for (const c of clients) await c.removeAllChannels();
      await b.stop();
      await a.stop();
    });

    it('delivers a broadcast sent on one node to subscribers on both, once each', async () => {
      const onA = new Inbox<{ payload: { n: number } }>();
      const onB = new Inbox<{ payload: { n: number } }>();
      await subscribed(client(a).channel('nodes').on('broadcast', { event: '*' }, onA.push));
      await subscribed(client(b).channel('nodes').on('broadcast', { event: '*' }, onB.push));
      const sender = await subscribed(client(a).channel('nodes'));
      await sender.send({ type: 'broadcast', event: 'small', payload: { n: 1 } });
      // Past NOTIFY's 8000 bytes, the message goes through the change table.
      await sender.send({ type: 'broadcast', event: 'large', payload: { n: 2, pad: 'x'.repeat(20_000) } });
      await onA.atLeast(2);
      await onB.atLeast(2);
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(onA.items.map((m) => m.payload.n), [1, 2]);
      assert.deepEqual(onB.items.map((m) => m.payload.n), [1, 2]);
    });

    it('shares presence across nodes, and its leaves', async () => {
      const joins = new Inbox<{ key: string }>();
      const leaves = new Inbox<{ key: string }>();
      const watcher = client(b).channel('lobby', { config: { presence: { key: 'watcher' } } }).on('presence', { event: 'join' }, joins.push).on('presence', { event: 'leave' }, leaves.push);
      await subscribed(watcher);
      const far = client(a);
      const tracked = far.channel('lobby', { config: { presence: { key: 'far' } } }).on('presence', { event: 'sync' }, () => undefined);
      await subscribed(tracked);
      await tracked.track({ where: 'a' });
      assert.equal((await joins.atLeast(1))[0]?.key, 'far');
      // A node that starts later learns who is there from the others.
      const late = await startTestServer({ database: a.database, env: {} });
      try {
        const seen = client(late).channel('lobby', { config: { presence: { key: 'late' } } }).on('presence', { event: 'sync' }, () => undefined);
        await subscribed(seen);
        await new Promise((r) => setTimeout(r, 300));
        assert.ok(Object.keys(seen.presenceState()).includes('far'));
      } finally {
        await late.stop();
      }
      await far.removeAllChannels();
      assert.ok((await leaves.atLeast(1)).some((l) => l.key === 'far'));
    });

    it('delivers each change once to subscribers on every node', async () => {
      const inboxes = [new Inbox<Change>(), new Inbox<Change>()];
      for (const [i, server] of [a, b].entries()) {
        const ch = client(server).channel(`nodes-changes-${i}`).on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'open_items' }, inboxes[i]!.push);
        const live = changesLive(ch);
        await subscribed(ch);
        await live;
      }
      await supabase(b.url, a.gw.keys.serviceRole).from('open_items').insert([{ name: 'n1' }, { name: 'n2' }]);
      for (const inbox of inboxes) await inbox.atLeast(2);
      await new Promise((r) => setTimeout(r, 300));
      for (const inbox of inboxes) assert.deepEqual(inbox.items.map((c) => (c.new as { name: string }).name).sort(), ['n1', 'n2']);
    });

    it('loses no committed change when a node is killed mid-stream', async () => {
      const port = await freePort();
      const node = spawnCli(['start', '--project-dir', project], { ...dbEnv(a.database), PORT: String(port), GROUNDWORK_AUTO_MIGRATE: 'false' });
      const done = collect(node);
      const url = `http://127.0.0.1:${port}`;
      for (let i = 0; i < 200; i++) {
        if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const survivor = new Inbox<Change>();
      const ch = client(b).channel('survivor').on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'open_items', filter: 'name=like.kill-%' }, survivor.push);
      const live = changesLive(ch);
      await subscribed(ch);
      await live;
      const onKilled = client(url).channel('doomed').on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'open_items' }, () => undefined);
      await subscribed(onKilled);
      // A presence on the doomed node, watched from the survivor.
      const joins = new Inbox<{ key: string }>();
      const leaves = new Inbox<{ key: string }>();
      await subscribed(client(b).channel('kill-room', { config: { presence: { key: 'watcher' } } }).on('presence', { event: 'join' }, joins.push).on('presence', { event: 'leave' }, leaves.push));
      const doomedPresence = client(url).channel('kill-room', { config: { presence: { key: 'doomed' } } }).on('presence', { event: 'sync' }, () => undefined);
      await subscribed(doomedPresence);
      await doomedPresence.track({ on: 'doomed node' });
      await joins.atLeast(1);
      // Writes go through the doomed node until it dies, then through the survivor.
      const writer = (target: string) => supabase(target, a.gw.keys.serviceRole);
      let committed = 0;
      for (let i = 0; i < 40; i++) {
        if (i === 20) {
          node.kill('SIGKILL');
          await done;
        }
        const { error } = await writer(i < 20 ? url : b.url).from('open_items').insert({ name: `kill-${i}` });
        if (error === null) committed++;
      }
      assert.equal(committed, 40);
      const got = await survivor.atLeast(40, 8000);
      assert.deepEqual(new Set(got.map((c) => (c.new as { name: string }).name)).size, 40);
      // The killed node's presences leave once it has been silent for 10 s.
      const [left] = await leaves.atLeast(1, 15_000);
      assert.equal(left?.key, 'doomed');
    });
  });
}
