// Functions at /functions/v1 through supabase-js and plain HTTP, on the project in
// test/fixtures/functions: Supabase-style code (std's serve offline, Deno.serve, module and
// default-export handlers, npm:@supabase/supabase-js calling back as the caller), the JWT
// check and config.toml, request and response passing through, secrets, background work,
// logs tagged with the request id, and every limit (crash, exit, CPU, memory, wall clock,
// boot failure) answered with Supabase's codes while the server stays healthy.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FunctionsHttpError, FunctionsRelayError, type SupabaseClient } from '@supabase/supabase-js';
import { request } from 'node:http';
import { join } from 'node:path';
import { sql } from '../../src/lib/sql.ts';
import { setSecrets } from '../../src/functions/secrets.ts';
import { dbKind } from '../support/db.ts';
import { eventually } from '../support/jobs.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { supabase } from '../support/supabase.ts';
import { ALICE, BOB, mintToken } from '../support/tokens.ts';

const project = join(import.meta.dirname, '../fixtures/functions');
/** First invocations may download npm packages into the Deno cache. */
const FIRST_USE = { timeout: 150_000 };

describe(`functions (${dbKind})`, () => {
  let server: TestServer;
  let anon: SupabaseClient;
  let alice: string;

  const call = async (path: string, init: RequestInit & { token?: string | null } = {}) => {
    const headers = new Headers(init.headers);
    const token = init.token === undefined ? server.gw.keys.anon : init.token;
    if (token !== null) headers.set('authorization', `Bearer ${token}`);
    const res = await fetch(`${server.url}/functions/v1/${path}`, { ...init, headers });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    return { status: res.status, headers: res.headers, body: body as Record<string, unknown> };
  };
  const healthy = async () => {
    assert.equal((await fetch(`${server.url}/health`)).status, 200);
    assert.equal((await call('open')).body, 'open');
  };

  before(async () => {
    server = await startTestServer({
      projectDir: project,
      env: { GROUNDWORK_FUNCTIONS_TIMEOUT_MS: '5000', GROUNDWORK_FUNCTIONS_CPU_MS: '1000', GROUNDWORK_FUNCTIONS_MEMORY_MB: '64', GROUNDWORK_FUNCTIONS_MAX_WORKERS: '6' },
    });
    anon = supabase(server.url, server.gw.keys.anon);
    alice = await mintToken({ sub: ALICE, role: 'authenticated', exp: Math.floor(Date.now() / 1000) + 3600 });
    const bob = await mintToken({ sub: BOB, role: 'authenticated', exp: Math.floor(Date.now() / 1000) + 3600 });
    for (const [token, body] of [
      [alice, 'alice 1'],
      [alice, 'alice 2'],
      [bob, 'bob 1'],
    ] as const) {
      const { error } = await supabase(server.url, server.gw.keys.anon, token).from('notes').insert({ body });
      assert.equal(error, null);
    }
  });
  after(async () => server.stop());

  it('runs the older Supabase template (std serve, edge-runtime types, _shared) through functions.invoke, offline', FIRST_USE, async () => {
    const { data, error } = await anon.functions.invoke('hello', { body: { name: 'Functions' } });
    assert.equal(error, null);
    assert.deepEqual(data, { message: 'Hello Functions!' });
  });

  it('passes the method, sub-path, query, headers and every body type through, and the answer back', async () => {
    const json = await anon.functions.invoke('echo/tasks/42?x=1', { body: { a: 1 }, headers: { 'x-custom': 'c' }, region: 'eu-west-1' as never });
    assert.equal(json.error, null);
    assert.equal(json.data.method, 'POST');
    assert.equal(json.data.path, '/echo/tasks/42');
    assert.equal(json.data.query, '?x=1&forceFunctionRegion=eu-west-1');
    assert.equal(json.data.contentType, 'application/json');
    assert.equal(json.data.text, '{"a":1}');
    assert.equal(json.data.custom, 'c');
    assert.equal(json.data.region, 'eu-west-1');
    assert.equal(json.data.authorization, `Bearer ${server.gw.keys.anon}`);
    assert.match(String(json.data.forwardedFor), /127\.0\.0\.1/);
    const text = await anon.functions.invoke('echo', { body: 'plain words', method: 'PUT' });
    assert.deepEqual([text.data.method, text.data.contentType, text.data.text], ['PUT', 'text/plain', 'plain words']);
    const binary = await anon.functions.invoke('echo', { body: new Uint8Array(300_000).fill(7).buffer });
    assert.deepEqual([binary.data.contentType, binary.data.length], ['application/octet-stream', 300_000]);
    const form = new FormData();
    form.append('field', 'value');
    const multipart = await anon.functions.invoke('echo', { body: form });
    assert.match(String(multipart.data.contentType), /^multipart\/form-data; boundary=/);
    assert.match(String(multipart.data.text), /name="field"/);
    for (const method of ['GET', 'DELETE', 'PATCH'] as const) assert.equal((await anon.functions.invoke('echo', { method })).data.method, method);
    const raw = await call('echo?status=201');
    assert.equal(raw.status, 201);
    assert.equal(raw.headers.get('x-from-function'), 'yes');
    assert.equal(raw.headers.get('set-cookie'), 'a=1');
    const head = await fetch(`${server.url}/functions/v1/echo`, { method: 'HEAD', headers: { authorization: `Bearer ${server.gw.keys.anon}` } });
    assert.equal(head.status, 200);
  });

  it("gives functions Supabase's variables and the project's secrets (.env, then `secrets set`), which cannot override them", async () => {
    const before = (await call('echo')).body;
    assert.equal(before.secret, 'from-dotenv');
    assert.equal(before.supabaseUrl, server.url);
    assert.equal(before.hasKeys, true);
    assert.equal(before.setSecret, null);
    await setSecrets(server.gw.db.admin, [['SET_SECRET', 'from the database']]);
    // The workers are replaced once the change is heard.
    await eventually('the new secret', async () => ((await call('echo')).body.setSecret === 'from the database' ? true : undefined));
    await server.gw.db.admin.query(sql`delete from _groundwork.function_secrets`);
    await eventually('the secret gone', async () => ((await call('echo')).body.setSecret === null ? true : undefined));
  });

  it("lets a function call /rest/v1 as its caller with npm:@supabase/supabase-js: row-level security shows only the caller's rows", FIRST_USE, async () => {
    const asAlice = supabase(server.url, server.gw.keys.anon, alice);
    const { data, error } = await asAlice.functions.invoke('whoami');
    assert.equal(error, null);
    assert.deepEqual(data, { notes: ['alice 1', 'alice 2'] });
    const asAnon = await anon.functions.invoke('whoami');
    assert.deepEqual(asAnon.data, { notes: [] });
  });

  it('serves module-worker and default-export handlers, and the entrypoint and import map config.toml names', async () => {
    assert.equal((await call('module-worker', { method: 'PATCH' })).body, 'module PATCH');
    assert.deepEqual((await call('default-fn/x')).body, { path: '/default-fn/x' });
    assert.equal((await call('custom-entry')).body, 'from the custom entrypoint');
  });

  it('checks the JWT as Supabase does, unless config.toml turns verify_jwt off', async () => {
    const none = await call('echo', { token: null });
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('sb-error-code'), 'UNAUTHORIZED_NO_AUTH_HEADER');
    const forged = await call('echo', { token: await mintToken({ role: 'service_role' }, 'not-the-project-secret-not-the-project-secret') });
    assert.equal(forged.status, 401);
    assert.equal(forged.body.code, 'UNAUTHORIZED_LEGACY_JWT');
    const bad = await call('echo', { headers: { authorization: 'Token x' }, token: null });
    assert.equal(bad.body.code, 'UNAUTHORIZED_INVALID_JWT_FORMAT');
    assert.equal((await call('open', { token: null })).body, 'open');
    // supabase-js reports the gateway's 401 as an HTTP error with the response to read.
    const viaClient = await supabase(server.url, 'not-a-jwt').functions.invoke('echo');
    assert.ok(viaClient.error instanceof FunctionsHttpError);
    assert.equal(((await (viaClient.error.context as Response).json()) as { code: string }).code, 'UNAUTHORIZED_INVALID_JWT_FORMAT');
    // A preflight is answered without a token.
    const preflight = await fetch(`${server.url}/functions/v1/echo`, { method: 'OPTIONS', headers: { origin: 'http://app.local', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, x-client-info, apikey, content-type' } });
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /x-client-info/);
  });

  it("answers missing, disabled and badly named functions with Supabase's errors", async () => {
    for (const [path, status, code] of [
      ['nope', 404, 'NOT_FOUND'],
      ['disabled', 404, 'NOT_FOUND'],
      ['_shared', 400, 'INVALID_URL'],
      ['bad%20name', 400, 'INVALID_URL'],
      ['', 400, 'INVALID_URL'],
    ] as const) {
      const res = await call(path);
      assert.equal(res.status, status, path);
      assert.equal(res.body.code, code, path);
      assert.equal(res.headers.get('sb-error-code'), code, path);
    }
    const { error } = await anon.functions.invoke('nope');
    assert.ok(error instanceof FunctionsHttpError);
    assert.equal((error.context as Response).status, 404);
    // fetch refuses TRACE itself: node:http sends it.
    const trace = await new Promise<number>((resolve, reject) => {
      request(`${server.url}/functions/v1/echo`, { method: 'TRACE' }, (res) => resolve(res.statusCode ?? 0)).on('error', reject).end();
    });
    assert.equal(trace, 405);
  });

  it("returns while background work (EdgeRuntime.waitUntil) goes on; console lines carry the function and the request id", async () => {
    const res = await call('background');
    assert.equal(res.status, 202);
    const requestId = res.headers.get('x-request-id');
    const line = await eventually('the background line', () => server.events.find((e) => e.type === 'function-log' && e.message === 'background work done'));
    assert.ok(line.type === 'function-log');
    assert.equal(line.name, 'background');
    assert.equal(line.requestId, requestId);
    const greeting = server.events.find((e) => e.type === 'function-log' && e.message === 'greeting Functions');
    assert.ok(greeting !== undefined && greeting.type === 'function-log' && greeting.requestId !== null);
  });

  it("receives this server's database webhooks and queue messages without loopback in the allow-list", { timeout: 30_000 }, async () => {
    const sink = `${server.url}/functions/v1/hook-sink`;
    await server.gw.db.admin.query(sql`select groundwork.create_webhook('notes_to_function', 'public.notes', array['INSERT'], ${sink})`);
    await server.gw.db.admin.query(sql`select pgmq.create('to_function')`);
    await server.gw.db.admin.query(sql`select groundwork.create_consumer('to_function', ${sink})`);
    const { error } = await supabase(server.url, server.gw.keys.anon, alice).from('notes').insert({ body: 'alice 3' });
    assert.equal(error, null);
    await server.gw.db.admin.query(sql`select pgmq.send('to_function', '{"hello":"queue"}'::jsonb)`);
    const logged = (test: (message: string) => boolean) => () => server.events.find((e) => e.type === 'function-log' && e.name === 'hook-sink' && test(e.message));
    await eventually('the webhook delivered to the function', logged((m) => m === 'received signed INSERT notes'));
    // A consumer posts pgmq's envelope (queue_name, msg_id, read_ct, message…).
    await eventually('the message delivered to the function', logged((m) => m.startsWith('received signed message {"queue_name":"to_function"') && m.includes('"message":{"hello":"queue"}')));
    // The consumer deleted it once the function answered 2xx.
    await eventually('the queue empty', async () => ((await server.gw.db.admin.query<{ n: number }>(sql`select count(*)::int as n from pgmq.q_to_function`)).rows[0]?.n === 0 ? true : undefined));
  });

  const limits: ReadonlyArray<[string, number, string, string]> = [
    ['crash', 500, 'WORKER_ERROR', 'a thrown error'],
    ['exits', 500, 'WORKER_ERROR', 'Deno.exit mid-request'],
    ['loop', 546, 'WORKER_LIMIT', 'an endless loop (CPU limit)'],
    ['hog', 546, 'WORKER_LIMIT', 'unbounded allocation (memory limit)'],
    ['sleepy?ms=60000', 504, 'IDLE_TIMEOUT', 'the wall clock'],
    ['broken', 503, 'BOOT_ERROR', 'a module that cannot load'],
  ];
  for (const [path, status, code, what] of limits) {
    it(`answers ${status} ${code} for ${what}, as a relay error, and stays healthy`, { timeout: 30_000 }, async () => {
      const res = await call(path);
      assert.equal(res.status, status);
      assert.equal(res.body.code, code);
      assert.equal(res.headers.get('sb-error-code'), code);
      assert.equal(res.headers.get('x-relay-error'), 'true');
      assert.doesNotMatch(JSON.stringify(res.body), /at .*\.ts:\d+/); // no stack trace
      await healthy();
      // The function works again on a new worker where it can.
      if (path.startsWith('sleepy')) assert.equal((await call('sleepy?ms=10')).body, 'slept 10');
    });
  }

  it('reports a worker failure to supabase-js as FunctionsRelayError', async () => {
    const { error } = await anon.functions.invoke('crash');
    assert.ok(error instanceof FunctionsRelayError);
    assert.equal((error.context as Response).status, 500);
  });

  it('keeps at most GROUNDWORK_FUNCTIONS_MAX_WORKERS workers alive, stopping idle ones for new functions', async () => {
    for (const name of ['echo', 'open', 'module-worker', 'default-fn', 'custom-entry', 'hello', 'sleepy?ms=1', 'background']) {
      const res = await call(name, name === 'hello' ? { method: 'POST', body: '{"name":"x"}' } : {});
      assert.ok(res.status < 300, `${name}: ${res.status}`);
    }
    const started = server.events.filter((e) => e.type === 'function-worker' && e.event === 'started').length;
    const stopped = server.events.filter((e) => e.type === 'function-worker' && e.event === 'stopped').length;
    assert.ok(started - stopped <= 6, `${started} started, ${stopped} stopped`);
    assert.ok(server.events.some((e) => e.type === 'function-worker' && e.reason === 'evicted'));
  });
});
