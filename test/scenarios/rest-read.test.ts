// REST reads through supabase-js, unchanged, against the cinema fixture: columns, embeds
// of every kind, every filter operator, ordering, ranges, counts and output formats.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { SupabaseClient } from '@supabase/supabase-js';
import { dbKind } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { supabase } from '../support/supabase.ts';

const project = join(import.meta.dirname, '../fixtures/rest');
type Result = { data: unknown; error: unknown; count?: number | null; status: number };
type Case = { name: string; run: (s: SupabaseClient) => PromiseLike<Result>; data?: unknown; count?: number; status?: number; error?: Record<string, unknown> };

const ids = (rows: unknown) => (rows as Array<{ id: number }>).map((r) => r.id);

const cases: Case[] = [
  { name: 'columns, aliases and casts', run: (s) => s.from('films').select('id, name:title, rating::text').eq('id', 2), data: [{ id: 2, name: 'Rashomon', rating: '8.2' }] },
  { name: 'JSON paths', run: (s) => s.from('films').select('id, lang:meta->>lang, cannes:meta->awards->cannes, meta->cast').eq('id', 1), data: [{ id: 1, lang: 'fr', cannes: true, cast: 3 }] },
  { name: 'many-to-one embed', run: (s) => s.from('films').select('title, directors(name)').eq('id', 3), data: [{ title: 'Seven Samurai', directors: { name: 'Akira Kurosawa' } }] },
  { name: 'one-to-many embed with order', run: (s) => s.from('directors').select('name, films(title)').eq('id', 1).order('year', { referencedTable: 'films' }), data: [{ name: 'Agnès Varda', films: [{ title: 'Cléo from 5 to 7' }, { title: 'The Gleaners and I' }] }] },
  { name: 'empty to-many embed is []', run: (s) => s.from('directors').select('name, films(title)').eq('id', 3), data: [{ name: 'Nobody Yet', films: [] }] },
  { name: 'many-to-many embed', run: (s) => s.from('films').select('title, actors(name)').eq('id', 3).order('name', { referencedTable: 'actors' }), data: [{ title: 'Seven Samurai', actors: [{ name: 'Takashi Shimura' }, { name: 'Toshiro Mifune' }] }] },
  { name: 'one-to-one embed', run: (s) => s.from('films').select('id, technical_specs(camera)').in('id', [1, 2]).order('id'), data: [{ id: 1, technical_specs: { camera: 'Cameflex' } }, { id: 2, technical_specs: null }] },
  { name: 'self reference both ways', run: (s) => s.from('employees').select('name, manager:manager_id(name), reports:employees(name)').eq('id', 2), data: [{ name: 'Grace', manager: { name: 'Ada' }, reports: [{ name: 'Ken' }] }] },
  { name: 'hint picks one of two FKs', run: (s) => s.from('orders').select('id, billing:addresses!billing_address_id(city), shipping:addresses!shipping_address_id(city)').eq('id', 1), data: [{ id: 1, billing: { city: 'Lyon' }, shipping: { city: 'Osaka' } }] },
  { name: '!inner keeps only parents with matches', run: (s) => s.from('directors').select('name, films!inner(title)').eq('films.year', 1950), data: [{ name: 'Akira Kurosawa', films: [{ title: 'Rashomon' }] }] },
  { name: 'null-embed filter (anti-join)', run: (s) => s.from('directors').select('name, films()').is('films', null), data: [{ name: 'Nobody Yet' }] },
  { name: 'spread of a to-one embed', run: (s) => s.from('films').select('title, ...directors(director:name)').eq('id', 2), data: [{ title: 'Rashomon', director: 'Akira Kurosawa' }] },
  { name: 'spread of a to-many embed gives arrays', run: (s) => s.from('directors').select('name, ...films(title)').eq('id', 2).order('id', { referencedTable: 'films' }), data: [{ name: 'Akira Kurosawa', title: ['Rashomon', 'Seven Samurai'] }] },
  { name: 'order by a to-one embed column', run: (s) => s.from('films').select('id, directors(name)').not('director_id', 'is', null).order('directors(name)').order('id'), data: [{ id: 1, directors: { name: 'Agnès Varda' } }, { id: 4, directors: { name: 'Agnès Varda' } }, { id: 2, directors: { name: 'Akira Kurosawa' } }, { id: 3, directors: { name: 'Akira Kurosawa' } }] },
  { name: 'computed field', run: (s) => s.from('directors').select('name, film_count').order('id'), data: [{ name: 'Agnès Varda', film_count: 2 }, { name: 'Akira Kurosawa', film_count: 2 }, { name: 'Nobody Yet', film_count: 0 }] },
  { name: 'view', run: (s) => s.from('film_titles').select('title').eq('id', 2), data: [{ title: 'Rashomon' }] },
  // Every operator.
  { name: 'eq / neq', run: (s) => s.from('films').select('id').neq('genre', 'drama').order('id'), data: [{ id: 4 }] },
  { name: 'gt / gte / lt / lte', run: (s) => s.from('films').select('id').gt('year', 1950).lte('year', 1962).order('id'), data: [{ id: 1 }, { id: 3 }] },
  { name: 'like / ilike', run: (s) => s.from('films').select('id').like('title', '%Sam%').ilike('title', 'seven%'), data: [{ id: 3 }] },
  { name: 'likeAnyOf / ilikeAllOf', run: (s) => s.from('films').select('id').likeAnyOf('title', ['R%', 'S%']).ilikeAllOf('title', ['%a%', '%o%']).order('id'), data: [{ id: 2 }] },
  { name: 'match / imatch', run: (s) => s.from('films').select('id').regexIMatch('title', '^the gl'), data: [{ id: 4 }] },
  { name: 'in (with a comma inside a value)', run: (s) => s.from('directors').select('id').in('name', ['Nobody Yet', 'a,b']), data: [{ id: 3 }] },
  { name: 'is null / not is null', run: (s) => s.from('films').select('id').is('year', null), data: [{ id: 5 }] },
  { name: 'is true / false', run: (s) => s.from('technical_specs').select('film_id').is('color', false).order('film_id'), data: [{ film_id: 1 }, { film_id: 3 }] },
  { name: 'isdistinct', run: (s) => s.from('films').select('id').isDistinct('genre', 'drama').order('id'), data: [{ id: 4 }, { id: 5 }] },
  { name: 'contains / containedBy / overlaps (arrays)', run: (s) => s.from('films').select('id').contains('tags', ['classic']).containedBy('tags', ['japan', 'classic', 'epic']).overlaps('tags', ['japan']), data: [{ id: 2 }] },
  { name: 'contains (jsonb)', run: (s) => s.from('films').select('id').contains('meta', { lang: 'ja', cast: 12 }), data: [{ id: 3 }] },
  { name: 'range operators', run: (s) => s.from('films').select('id').rangeAdjacent('runtime', '[70,80)'), data: [{ id: 4 }] },
  { name: 'rangeGt / rangeLt', run: (s) => s.from('films').select('id').rangeGt('runtime', '[100,110)'), data: [{ id: 3 }] },
  { name: 'full-text search (fts, plfts, phfts, wfts)', run: (s) => s.from('films').select('id').textSearch('summary', 'samurai & village', { config: 'english' }), data: [{ id: 3 }] },
  { name: 'plain text search', run: (s) => s.from('films').select('id').textSearch('summary', 'four points', { type: 'plain', config: 'english' }), data: [{ id: 2 }] },
  { name: 'websearch', run: (s) => s.from('films').select('id').textSearch('summary', '"medical results" -murder', { type: 'websearch', config: 'english' }), data: [{ id: 1 }] },
  { name: 'not', run: (s) => s.from('films').select('id').not('year', 'in', '(1950,1954)').not('year', 'is', null).order('id'), data: [{ id: 1 }, { id: 4 }] },
  { name: 'or with nested and', run: (s) => s.from('films').select('id').or('year.lt.1951,and(rating.gte.8.5,genre.eq.drama)').order('id'), data: [{ id: 2 }, { id: 3 }] },
  { name: 'or on an embed', run: (s) => s.from('directors').select('name, films(title)').eq('id', 2).or('year.eq.1950,year.eq.2000', { referencedTable: 'films' }), data: [{ name: 'Akira Kurosawa', films: [{ title: 'Rashomon' }] }] },
  { name: 'match()', run: (s) => s.from('films').select('id').match({ genre: 'drama', year: 1954 }), data: [{ id: 3 }] },
  { name: 'filter()', run: (s) => s.from('films').select('id').filter('meta->>lang', 'eq', 'fr'), data: [{ id: 1 }] },
  // Order, limits, ranges, counts.
  { name: 'order nulls first', run: (s) => s.from('films').select('id').order('year', { ascending: false, nullsFirst: true }).limit(2), data: [{ id: 5 }, { id: 4 }] },
  { name: 'range()', run: (s) => s.from('films').select('id').order('id').range(1, 2), data: [{ id: 2 }, { id: 3 }] },
  { name: 'embedded limit', run: (s) => s.from('directors').select('id, films(id)').eq('id', 2).limit(1, { referencedTable: 'films' }).order('id', { referencedTable: 'films' }), data: [{ id: 2, films: [{ id: 2 }] }] },
  { name: 'count exact', run: (s) => s.from('films').select('id', { count: 'exact' }).gt('year', 1900).limit(1).order('id'), data: [{ id: 1 }], count: 4, status: 206 },
  { name: 'count with head', run: (s) => s.from('films').select('*', { count: 'exact', head: true }), data: null, count: 5, status: 200 },
  { name: 'count estimated (small: exact)', run: (s) => s.from('actors').select('id', { count: 'estimated', head: true }), data: null, count: 4 },
  // Singular and formats.
  { name: 'single()', run: (s) => s.from('films').select('title').eq('id', 1).single(), data: { title: 'Cléo from 5 to 7' } },
  { name: 'single() with 0 rows is PGRST116', run: (s) => s.from('films').select('title').eq('id', 99).single(), status: 406, error: { code: 'PGRST116', message: 'Cannot coerce the result to a single JSON object', details: 'The result contains 0 rows' } },
  { name: 'maybeSingle() with 0 rows is null', run: (s) => s.from('films').select('title').eq('id', 99).maybeSingle(), data: null, status: 200 },
  { name: 'csv()', run: (s) => s.from('directors').select('id,name').order('id').limit(2).csv(), data: 'id,name\n1,"Agnès Varda"\n2,"Akira Kurosawa"' },
  // Aggregates (enabled for this server).
  { name: 'aggregates with group by', run: (s) => s.from('films').select('genre, count(), rating.max()').not('genre', 'is', null).order('genre'), data: [{ genre: 'drama', count: 3, max: 8.6 }, { genre: 'documentary', count: 1, max: 7.7 }] },
  // Errors.
  { name: 'unknown column is 42703', run: (s) => s.from('films').select('nope'), status: 400, error: { code: '42703' } },
  { name: 'bad filter value is 22P02', run: (s) => s.from('films').select('id').eq('id', 'x'), status: 400, error: { code: '22P02' } },
  { name: 'unexposed schema is PGRST106', run: (s) => s.schema('secret').from('films').select('id'), status: 406, error: { code: 'PGRST106', message: 'Invalid schema: secret' } },
];

describe(`REST reads through supabase-js (${dbKind})`, () => {
  let s: TestServer;
  let client: SupabaseClient;
  before(async () => {
    s = await startTestServer({ projectDir: project, env: { GROUNDWORK_DB_AGGREGATES_ENABLED: 'true', GROUNDWORK_DB_PLAN_ENABLED: 'true' } });
    client = supabase(s.url, s.gw.keys.anon);
  });
  after(() => s.stop());

  for (const c of cases) {
    it(c.name, async () => {
      const r = (await c.run(client)) as Result;
      if (c.error === undefined) assert.equal(r.error, null, JSON.stringify(r.error));
      else for (const [k, v] of Object.entries(c.error)) assert.deepEqual((r.error as Record<string, unknown>)[k], v, k);
      if ('data' in c) assert.deepEqual(r.data, c.data);
      if (c.count !== undefined) assert.equal(r.count, c.count);
      if (c.status !== undefined) assert.equal(r.status, c.status);
    });
  }

  it('counts by the planner on request (count=planned)', async () => {
    const r = await client.from('films').select('id', { count: 'planned', head: true });
    assert.equal(r.error, null);
    assert.ok(Number.isInteger(r.count) && (r.count as number) >= 0, String(r.count));
  });

  it('answers 416 past the end when counting, with Content-Range', async () => {
    const res = await fetch(`${s.url}/rest/v1/films?offset=10`, { headers: { prefer: 'count=exact' } });
    assert.equal(res.status, 416);
    assert.equal(res.headers.get('content-range'), '*/5');
    assert.equal(((await res.json()) as { code: string }).code, 'PGRST103');
  });

  it('honours the Range header with 206 and Content-Range', async () => {
    const res = await fetch(`${s.url}/rest/v1/films?select=id&order=id`, { headers: { range: '1-2', prefer: 'count=exact' } });
    assert.equal(res.status, 206);
    assert.equal(res.headers.get('content-range'), '1-2/5');
    assert.deepEqual(ids(await res.json()), [2, 3]);
  });

  it('explains a query when plans are enabled', async () => {
    const r = await client.from('films').select('id').eq('id', 1).explain();
    assert.equal(r.error, null);
    assert.match(String(r.data), /Scan/);
  });

  it('shows the query identifier in a verbose plan, as the caller (authenticator may set compute_query_id)', async () => {
    const r = await client.from('films').select('id').eq('id', 1).explain({ verbose: true, format: 'json' });
    assert.equal(r.error, null, JSON.stringify(r.error));
    const plan = (r.data as unknown as Array<Record<string, unknown>>)[0];
    assert.equal(typeof plan?.['Query Identifier'], 'number');
  });

  it('strips nulls on request', async () => {
    const res = await fetch(`${s.url}/rest/v1/films?select=id,year&id=eq.5`, { headers: { accept: 'application/vnd.pgrst.array+json;nulls=stripped' } });
    assert.deepEqual(await res.json(), [{ id: 5 }]);
  });

  it('serves an OpenAPI document at the root', async () => {
    const res = await fetch(`${s.url}/rest/v1/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/openapi\+json/);
    const doc = (await res.json()) as { swagger: string; paths: Record<string, unknown>; definitions: Record<string, { required?: string[] }> };
    assert.equal(doc.swagger, '2.0');
    assert.ok('/films' in doc.paths && '/rpc/add' in doc.paths);
    assert.deepEqual(doc.definitions['films']?.required, ['id', 'title']);
  });

  it('sees new tables after DDL without a restart', async () => {
    await s.gw.db.admin.script('create table public.late (id int primary key); insert into public.late values (7);');
    let r: Result = { data: null, error: 'not yet', status: 0 };
    for (let i = 0; i < 50 && r.error !== null; i++) {
      r = (await client.from('late').select('id')) as Result;
      if (r.error !== null) await new Promise((res) => setTimeout(res, 50));
    }
    assert.deepEqual(r.data, [{ id: 7 }]);
  });
});
