// Row-level security for postgres_changes, as a matrix like the REST one: each change ×
// each subscriber (anonymous, two users, service_role) → whether it is delivered. Policy on
// notes: a row is readable in the lobby, or by its author. DELETE is delivered to every
// subscriber whose filter matches, with only the primary key (Supabase's rule).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { RealtimePostgresChangesPayload, SupabaseClient } from '@supabase/supabase-js';
import { dbKind } from '../support/db.ts';
import { changesLive, Inbox, realtimeClient, signedInClient, startRealtime, stopRealtime, subscribed, VERSIONS } from '../support/realtime.ts';
import type { TestServer } from '../support/server.ts';
import { ALICE, BOB, mintToken } from '../support/tokens.ts';

const project = join(import.meta.dirname, '../fixtures/realtime');
type Who = 'anon' | 'alice' | 'bob' | 'service';
type Change = RealtimePostgresChangesPayload<Record<string, unknown>>;
const WHO: readonly Who[] = ['anon', 'alice', 'bob', 'service'];

interface Step {
  readonly name: string;
  readonly run: (admin: SupabaseClient, room: string) => PromiseLike<unknown>;
  readonly seenBy: readonly Who[];
}

const steps: readonly Step[] = [
  { name: "alice's lobby note", run: (a) => a.from('notes').insert({ room: 'lobby', body: 'lobby', author: ALICE }), seenBy: [] },
  { name: "alice's own note", run: (a, r) => a.from('notes').insert({ room: r, body: 'alice private', author: ALICE }), seenBy: ['alice', 'service'] },
  { name: "bob's own note", run: (a, r) => a.from('notes').insert({ room: r, body: 'bob private', author: BOB }), seenBy: ['bob', 'service'] },
  { name: "an update of alice's note", run: (a, r) => a.from('notes').update({ score: 7 }).eq('room', r).eq('author', ALICE), seenBy: ['alice', 'service'] },
  { name: "a note moved into the lobby", run: (a, r) => a.from('notes').update({ room: 'lobby', body: `moved ${r}` }).eq('room', r).eq('author', BOB), seenBy: [] },
  { name: "the delete of alice's note", run: (a, r) => a.from('notes').delete().eq('room', r).eq('author', ALICE), seenBy: ['anon', 'alice', 'bob', 'service'] },
];

describe(`realtime RLS matrix (${dbKind})`, () => {
  let server: TestServer;
  let admin: SupabaseClient;
  const clients: SupabaseClient[] = [];

  before(async () => ({ server, admin } = await startRealtime(project)));
  after(() => stopRealtime(server, clients));

  for (const vsn of VERSIONS) {
    it(`delivers each change only to the subscribers entitled to it (vsn ${vsn})`, async () => {
      const room = `m-${vsn}`;
      const exp = Math.floor(Date.now() / 1000) + 3600;
      const tokens: Record<Who, string | undefined> = {
        anon: undefined,
        alice: await mintToken({ role: 'authenticated', sub: ALICE, exp }),
        bob: await mintToken({ role: 'authenticated', sub: BOB, exp }),
        service: server.gw.keys.serviceRole,
      };
      const inboxes = {} as Record<Who, Inbox<Change>>;
      for (const who of WHO) {
        const token = tokens[who];
        const c = token === undefined ? realtimeClient(server.url, server.gw.keys.anon, vsn) : await signedInClient(server.url, server.gw.keys.anon, vsn, token);
        clients.push(c);
        const inbox = new Inbox<Change>();
        // Every change of this room (the filter also matches the deleted row's key only on
        // REPLICA IDENTITY FULL, so the delete is caught by a second, unfiltered binding).
        const ch = c.channel(`rls-${who}-${vsn}`).on('postgres_changes', { event: '*', schema: 'public', table: 'notes' }, inbox.push);
        const live = changesLive(ch);
        await subscribed(ch);
        await live;
        inboxes[who] = inbox;
      }
      // The lobby row is readable by everyone.
      const lobby = { ...steps[0]!, seenBy: WHO };
      // Moving bob's note into the lobby makes it readable by everyone.
      const moved = { ...steps[4]!, seenBy: WHO };
      let serviceSeen = 0;
      for (const step of [lobby, steps[1]!, steps[2]!, steps[3]!, moved, steps[5]!]) {
        const before = Object.fromEntries(WHO.map((w) => [w, inboxes[w].items.length])) as Record<Who, number>;
        const { error } = (await step.run(admin, room)) as { error: unknown };
        assert.equal(error, null, step.name);
        // The service role sees everything: once it has, everyone else has had the chance.
        await inboxes.service.atLeast(++serviceSeen);
        await new Promise((r) => setTimeout(r, 100));
        for (const who of WHO) {
          const got = inboxes[who].items.length - before[who];
          assert.equal(got, step.seenBy.includes(who) ? 1 : 0, `${step.name} → ${who}`);
          if (got === 1 && step === steps[5]) assert.deepEqual(Object.keys(inboxes[who].items.at(-1)?.old ?? {}), ['id'], 'a DELETE on an RLS table carries only the key');
        }
      }
      // Nothing anyone received was a row they could not read.
      for (const c of inboxes.anon.items) if (c.eventType !== 'DELETE') assert.match(String((c.new as { room: string }).room), /lobby/);
    });
  }
});
