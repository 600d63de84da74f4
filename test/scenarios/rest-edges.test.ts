// The REST API's edges: malformed input of any kind is a 4xx with a code (never a 500,
// never a stack), and the configurable pre-request function runs before every request.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { dbKind } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const project = join(import.meta.dirname, '../fixtures/rest');

const malformed: Array<[string, string, RequestInit & { headers?: Record<string, string> }]> = [
  ['bad percent encoding in the query', '/films?title=eq.%ZZ', {}],
  ['unclosed embed', '/films?select=title,directors(name', {}],
  ['empty select item', '/films?select=,', {}],
  ['unknown operator', '/films?id=approx.3', {}],
  ['unclosed in list', '/films?id=in.(1,2', {}],
  ['unclosed logic tree', '/films?or=(id.eq.1', {}],
  ['bad order', '/films?order=id.sideways', {}],
  ['negative limit', '/films?limit=-3', {}],
  ['reversed Range', '/films', { headers: { range: '9-1' } }],
  ['unknown embed', '/films?select=title,nonsense(*)', {}],
  ['unknown column in a filter', '/films?nonsense=eq.1', {}],
  ['value of the wrong type', '/films?id=eq.abc', {}],
  ['bad JSON path', '/films?select=meta->', {}],
  ['cast to an unknown type', '/films?select=id::nonsense_type', {}],
  ['invalid JSON body', '/films', { method: 'POST', body: '{"id":' }],
  ['mismatched keys in a bulk body', '/kv', { method: 'POST', body: '[{"k":"a"},{"v":"b"}]' }],
  ['unknown body column', '/kv', { method: 'POST', body: '{"zzz":1}' }],
  ['unacceptable content type', '/kv', { method: 'POST', body: 'x', headers: { 'content-type': 'application/pdf' } }],
  ['unacceptable Accept', '/films', { headers: { accept: 'image/png' } }],
  ['unknown schema', '/films', { headers: { 'accept-profile': 'secret' } }],
  ['unknown method on RPC', '/rpc/hello', { method: 'DELETE' }],
  ['unknown function', '/rpc/nonsense', { method: 'POST', body: '{}' }],
  ['RPC with a bad argument type', '/rpc/add?a=abc', {}],
  ['PUT without the primary key', '/kv?v=eq.1', { method: 'PUT', body: '{"k":"z"}' }],
  ['strict with an unknown preference', '/films', { headers: { prefer: 'handling=strict, whatever' } }],
  ['deep path', '/a/b/c', {}],
  ['CSV with ragged rows', '/kv', { method: 'POST', body: 'k,v\n1', headers: { 'content-type': 'text/csv' } }],
];

describe(`REST edges (${dbKind})`, () => {
  let s: TestServer;
  const call = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    fetch(`${s.url}/rest/v1${path}`, { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${s.gw.keys.serviceRole}`, ...init.headers } });
  before(async () => {
    s = await startTestServer({ projectDir: project, env: { GROUNDWORK_DB_PRE_REQUEST: 'public.check_request' } });
  });
  after(() => s.stop());

  for (const [name, path, init] of malformed) {
    it(`answers ${name} with a 4xx and a code`, async () => {
      const res = await call(path, init);
      const text = await res.text();
      assert.ok(res.status >= 400 && res.status < 500, `${res.status} ${text}`);
      const body = JSON.parse(text) as { code?: unknown; message?: unknown };
      assert.equal(typeof body.code, 'string');
      assert.equal(typeof body.message, 'string');
      assert.ok(!text.includes('    at '), 'no stack trace');
      assert.equal(res.headers.get('proxy-status')?.startsWith('PostgREST; error='), true);
    });
  }

  it('answers a malformed URL with the core catalogue', async () => {
    const res = await call('/films%ZZ');
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { code: string }).code, 'GW400');
  });

  it('caps a huge limit at max rows, as PostgREST does', async () => {
    const res = await call('/films?select=id&limit=99999999999999999999999');
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as unknown[]).length, 5);
  });

  it('lists ambiguous overloads newest first, as PostgREST does (PGRST203)', async () => {
    await s.gw.db.admin.script(`create function public.twice(a text) returns text language sql as $$ select a || a $$;
      create function public.twice(a int) returns int language sql as $$ select a * 2 $$;`);
    await s.gw.schema.reload('test');
    const res = await call('/rpc/twice', { method: 'POST', body: '{"a":"1"}' });
    assert.equal(res.status, 300);
    const body = (await res.json()) as { code: string; message: string };
    assert.deepEqual(body, {
      ...body,
      code: 'PGRST203',
      message: 'Could not choose the best candidate function between: public.twice(a => integer), public.twice(a => text)',
    });
  });

  it('treats a JSON scalar body as no rows, as PostgREST does', async () => {
    const res = await call('/kv', { method: 'POST', body: '"text"', headers: { prefer: 'return=representation' } });
    assert.deepEqual([res.status, await res.json()], [201, []]);
  });

  it('runs the pre-request function before every request', async () => {
    const ok = await call('/films?select=id&id=eq.1');
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('x-checked'), 'yes');
    const blocked = await call('/films?select=id', { headers: { 'x-block': 'yes' } });
    assert.equal(blocked.status, 403);
    assert.deepEqual(await blocked.json(), { code: 'PT403', message: 'blocked by the pre-request check', details: null, hint: null });
    const rpc = await call('/rpc/hello', { method: 'POST', body: '{}', headers: { 'x-block': 'yes' } });
    assert.equal(rpc.status, 403);
  });
});
