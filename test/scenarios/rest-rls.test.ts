// Row-level security through the REST API, as a matrix: the blog example's policies ×
// callers (anonymous, two users, service_role) × operations → the outcome each must get.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { SupabaseClient } from '@supabase/supabase-js';
import { dbKind } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { supabase } from '../support/supabase.ts';
import { ALICE, BOB, mintToken } from '../support/tokens.ts';

const blog = join(import.meta.dirname, '../../examples/blog');
const ALICE_DRAFT = 'aaaaaaaa-0000-4000-8000-000000000002';
const BOB_DRAFT = 'bbbbbbbb-0000-4000-8000-000000000002';
const BOB_POST = 'bbbbbbbb-0000-4000-8000-000000000001';

type Who = 'anon' | 'alice' | 'bob' | 'service';
type Outcome = { rows: number } | { status: number; code: string };
type Op = { name: string; run: (c: SupabaseClient) => PromiseLike<{ data: unknown; error: unknown; status: number }> };

const ops: Record<string, Op> = {
  'read posts': { name: 'read posts', run: (c) => c.from('posts').select('id') },
  'read comments': { name: 'read comments', run: (c) => c.from('comments').select('id') },
  'read profiles': { name: 'read profiles', run: (c) => c.from('profiles').select('id') },
  "read bob's draft": { name: "read bob's draft", run: (c) => c.from('posts').select('id').eq('id', BOB_DRAFT) },
  'post as alice': { name: 'post as alice', run: (c) => c.from('posts').insert({ author_id: ALICE, title: 'by alice' }).select('id') },
  "edit alice's draft": { name: "edit alice's draft", run: (c) => c.from('posts').update({ title: 'edited' }).eq('id', ALICE_DRAFT).select('id') },
  "delete bob's post": { name: "delete bob's post", run: (c) => c.from('posts').delete().eq('id', BOB_POST).select('id') },
  'comment as bob': { name: 'comment as bob', run: (c) => c.from('comments').insert({ post_id: BOB_POST, author_id: BOB, body: 'hi' }).select('id') },
  'rename alice': { name: 'rename alice', run: (c) => c.from('profiles').update({ username: 'alice2' }).eq('id', ALICE).select('id') },
};

// Each row runs inside a rolled-back transaction (Prefer: tx=rollback), so rows do not depend on order.
const matrix: Array<[string, Who, Outcome]> = [
  ['read posts', 'anon', { rows: 2 }],
  ['read posts', 'alice', { rows: 3 }],
  ['read posts', 'bob', { rows: 3 }],
  ['read posts', 'service', { rows: 4 }],
  ["read bob's draft", 'alice', { rows: 0 }],
  ["read bob's draft", 'bob', { rows: 1 }],
  ['read comments', 'anon', { rows: 2 }],
  ['read profiles', 'anon', { rows: 2 }],
  ['post as alice', 'anon', { status: 401, code: '42501' }],
  ['post as alice', 'alice', { rows: 1 }],
  ['post as alice', 'bob', { status: 403, code: '42501' }],
  ['post as alice', 'service', { rows: 1 }],
  ["edit alice's draft", 'alice', { rows: 1 }],
  ["edit alice's draft", 'bob', { rows: 0 }],
  ["edit alice's draft", 'anon', { rows: 0 }],
  ["delete bob's post", 'alice', { rows: 0 }],
  ["delete bob's post", 'bob', { rows: 1 }],
  ["delete bob's post", 'service', { rows: 1 }],
  ['comment as bob', 'bob', { rows: 1 }],
  ['comment as bob', 'alice', { status: 403, code: '42501' }],
  ['comment as bob', 'anon', { status: 401, code: '42501' }],
  ['rename alice', 'alice', { rows: 1 }],
  ['rename alice', 'bob', { rows: 0 }],
];

describe(`RLS matrix over REST (${dbKind})`, () => {
  let s: TestServer;
  const clients = {} as Record<Who, SupabaseClient>;
  before(async () => {
    s = await startTestServer({ projectDir: blog, env: { GROUNDWORK_DB_TX_END: 'rollback-allow-override' } });
    clients.anon = supabase(s.url, s.gw.keys.anon);
    clients.service = supabase(s.url, s.gw.keys.serviceRole);
    clients.alice = supabase(s.url, s.gw.keys.anon, await mintToken({ sub: ALICE, role: 'authenticated' }));
    clients.bob = supabase(s.url, s.gw.keys.anon, await mintToken({ sub: BOB, role: 'authenticated' }));
  });
  after(() => s.stop());

  for (const [op, who, outcome] of matrix) {
    it(`${op} as ${who} → ${'rows' in outcome ? `${outcome.rows} row(s)` : `${outcome.status} ${outcome.code}`}`, async () => {
      const r = await (ops[op] as Op).run(clients[who]);
      if ('rows' in outcome) {
        assert.equal(r.error, null, JSON.stringify(r.error));
        assert.equal((r.data as unknown[]).length, outcome.rows);
      } else {
        assert.equal(r.status, outcome.status);
        assert.equal((r.error as { code: string }).code, outcome.code);
      }
    });
  }

  it('changed nothing: every write above was rolled back', async () => {
    const r = await clients.service.from('posts').select('id', { count: 'exact', head: true });
    assert.equal(r.count, 4);
  });
});
