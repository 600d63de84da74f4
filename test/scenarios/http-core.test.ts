// The HTTP core as a browser or supabase-js sees it: health, request ids, CORS, security
// headers, errors, body limits, and one log line per request.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dbKind } from '../support/db.ts';
import { registerProbe } from '../support/probe.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

describe(`HTTP core (${dbKind})`, () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ env: { GROUNDWORK_BODY_LIMIT: '2048' }, register: registerProbe });
  });
  after(() => s.stop());

  it('answers /health with a database round trip', async () => {
    const res = await fetch(`${s.url}/health`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { status: string; database: { status: string; mode: string; latency_ms: number }; schema_cache: { loaded_at: string } };
    assert.equal(body.status, 'ok');
    assert.equal(body.database.status, 'up');
    assert.equal(body.database.mode, dbKind === 'pglite' ? 'embedded' : 'server');
    assert.equal(typeof body.database.latency_ms, 'number');
    assert.match(body.schema_cache.loaded_at, /^\d{4}-\d\d-\d\dT/);
    assert.equal((await fetch(`${s.url}/health`, { method: 'HEAD' })).status, 200);
  });

  it('gives every response a request id, keeping a sane one from the caller', async () => {
    const generated = await fetch(`${s.url}/health`);
    assert.match(generated.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const kept = await fetch(`${s.url}/health`, { headers: { 'x-request-id': 'trace-123' } });
    assert.equal(kept.headers.get('x-request-id'), 'trace-123');
    const replaced = await fetch(`${s.url}/health`, { headers: { 'x-request-id': 'bad id with spaces' } });
    assert.match(replaced.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  it('sends security headers', async () => {
    const res = await fetch(`${s.url}/health`);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
  });

  it('answers CORS preflights for what supabase-js sends', async () => {
    const required = ['apikey', 'authorization', 'x-client-info', 'content-type', 'prefer', 'range', 'accept-profile', 'content-profile', 'x-supabase-api-version', 'x-retry-count'];
    const res = await fetch(`${s.url}/rest/v1/posts`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'apikey, content-type, x-my-header' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), 'http://localhost:3000');
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').split(', ');
    for (const h of [...required, 'x-my-header']) assert.ok(allowed.includes(h), h);
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /PATCH/);
  });

  it('exposes the headers clients read', async () => {
    const res = await fetch(`${s.url}/health`, { headers: { origin: 'http://localhost:3000' } });
    const exposed = (res.headers.get('access-control-expose-headers') ?? '').split(', ');
    for (const h of ['content-range', 'content-profile', 'preference-applied', 'location', 'x-supabase-api-version']) assert.ok(exposed.includes(h), h);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await fetch(`${s.url}/nowhere?x=1`);
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await res.json(), { code: 'GW404', message: 'No route matches GET /nowhere', details: null, hint: 'APIs are served under /rest/v1, /auth/v1 and /health' });
  });

  it('refuses a body over the limit with 413', async () => {
    const ok = await fetch(`${s.url}/probe/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ a: 'x'.repeat(1000) }) });
    assert.equal(ok.status, 200);
    const res = await fetch(`${s.url}/probe/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ a: 'x'.repeat(5000) }) });
    assert.equal(res.status, 413);
    assert.deepEqual(await res.json(), { code: 'GW413', message: 'Request body is larger than the limit of 2048 bytes', details: null, hint: 'Raise GROUNDWORK_BODY_LIMIT to accept larger bodies' });
  });

  it('refuses malformed JSON with 400, not 500', async () => {
    const res = await fetch(`${s.url}/probe/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a": ' });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { code: string; message: string };
    assert.equal(body.code, 'PGRST102');
    assert.equal(body.message, 'Empty or invalid json');
  });

  it('hides internal errors behind a request id, and logs them', async () => {
    const res = await fetch(`${s.url}/probe/crash`);
    assert.equal(res.status, 500);
    const text = await res.text();
    assert.ok(!text.includes('secret internal detail') && !text.includes('at '), text);
    const id = res.headers.get('x-request-id') ?? '';
    assert.deepEqual(JSON.parse(text), { code: 'GW500', message: 'Internal server error', details: `request id ${id}; the server log has the cause`, hint: null });
    assert.ok(s.events.some((e) => e.type === 'request-failed' && e.requestId === id));
  });

  it('logs one line per request', async () => {
    const res = await fetch(`${s.url}/health`, { headers: { 'x-request-id': 'one-line-check' } });
    await res.text();
    await new Promise((r) => setTimeout(r, 20));
    const lines = s.events.filter((e) => e.type === 'request' && e.requestId === 'one-line-check');
    assert.equal(lines.length, 1);
    assert.deepEqual(lines[0] && { ...lines[0], ms: 0, bytes: 0 }, { type: 'request', requestId: 'one-line-check', method: 'GET', url: '/health', status: 200, ms: 0, bytes: 0 });
  });
});
