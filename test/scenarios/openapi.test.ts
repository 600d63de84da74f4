// The OpenAPI documents against the real server: the Auth document (/auth/v1/openapi.json)
// and the admin document (/openapi/admin.json) are valid OpenAPI 3.1 and list exactly the
// routes the server registers (read from Fastify's route table), and answers of the real
// server validate against the schemas the documents give them. The reference page (/docs)
// loads every file it names from this server, and its REST copy keeps REST's guard.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { authDocumentedPaths } from '../../src/auth/http/openapi/document.ts';
import { adminDocumentedPaths } from '../../src/docs/openapi/document.ts';
import { routesOf, type Document, type DocumentedPath } from '../../src/lib/openapi.ts';
import { dbKind } from '../support/db.ts';
import { DOCUMENTED_METHODS, openApiErrors, responseSchemaPointer, routeTable, schemaChecker } from '../support/openapi.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/** "METHOD /route" for every route in scope that a document must cover. */
function registered(table: Map<string, Set<string>>, inScope: (url: string) => boolean): Set<string> {
  const out = new Set<string>();
  for (const [url, methods] of table) {
    if (!inScope(url)) continue;
    for (const m of DOCUMENTED_METHODS) if (methods.has(m)) out.add(`${m} ${url}`);
  }
  return out;
}

/** "METHOD /route" for every operation a served document lists, through its typed paths. */
function documented(doc: Document, typed: readonly DocumentedPath[], prefix: string): Set<string> {
  const out = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    const p = typed.find((t) => t.path === path);
    assert.ok(p !== undefined, `${path} is served but not in the typed paths`);
    for (const m of Object.keys(item).filter((k) => k !== 'parameters' && k !== 'summary' && k !== 'description')) {
      for (const route of routesOf(p)) out.add(`${m.toUpperCase()} ${prefix}${route}`);
    }
  }
  return out;
}

describe(`OpenAPI documents of the running server (${dbKind})`, () => {
  let server: TestServer;
  let auth: Document;
  let admin: Document;
  let table: Map<string, Set<string>>;

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${server.url}${path}`, { headers });
    return { status: res.status, headers: res.headers, body: (await res.json()) as unknown };
  };

  before(async () => {
    server = await startTestServer({ env: { GROUNDWORK_AUTH_AUTOCONFIRM: 'true' } });
    table = routeTable(server.gw.http);
    // As Swagger UI asks for them: no key, Accept: application/json.
    const accept = { accept: 'application/json,*/*' };
    auth = (await get('/auth/v1/openapi.json', accept)).body as Document;
    admin = (await get('/openapi/admin.json', accept)).body as Document;
  });
  after(async () => {
    await server?.stop();
  });

  it('serves both documents as valid OpenAPI 3.1, without a key', async () => {
    assert.equal(auth.openapi, '3.1.0');
    assert.deepEqual(await openApiErrors(auth), []);
    assert.deepEqual(await openApiErrors(admin), []);
  });

  it('documents every route under /auth/v1, and nothing else there', () => {
    const routes = registered(table, (url) => url.startsWith('/auth/v1/'));
    const ops = documented(auth, authDocumentedPaths, '/auth/v1');
    assert.ok(routes.size > 40);
    assert.deepEqual([...routes].filter((r) => !ops.has(r)), [], 'registered but not documented');
    const missing = [...ops].filter((op) => {
      const [method = '', url = ''] = op.split(' ');
      return !(table.get(url)?.has(method) ?? false);
    });
    assert.deepEqual(missing, [], 'documented but not registered');
  });

  it('documents every other route outside REST in the admin document, and only routes that exist', () => {
    const routes = registered(table, (url) => !url.startsWith('/auth/v1/') && url !== '/rest/v1' && !url.startsWith('/rest/v1/'));
    const ops = documented(admin, adminDocumentedPaths, '');
    for (const expected of ['GET /health', 'GET /metrics', 'POST /mcp', 'GET /jobs/v1/webhooks', 'POST /functions/v1/*', 'POST /realtime/v1/api/broadcast', 'GET /docs', 'GET /openapi/admin.json']) assert.ok(routes.has(expected), expected);
    assert.deepEqual([...routes].filter((r) => !ops.has(r)), [], 'registered but not documented');
    const missing = [...ops].filter((op) => {
      const [method = '', url = ''] = op.split(' ');
      return !(table.get(url)?.has(method) ?? false);
    });
    assert.deepEqual(missing, [], 'documented but not registered');
  });

  it('answers sign-up, sign-in and the user as the Auth document says', async () => {
    const check = schemaChecker(auth);
    const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(`${server.url}/auth/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const signup = await post('/signup', { email: 'doc@example.com', password: 'a-long-password', data: { plan: 'free' } });
    assert.equal(signup.status, 200);
    assert.ok(typeof signup.body['access_token'] === 'string');
    assert.deepEqual(check(responseSchemaPointer('/signup', 'post', '200'), signup.body), []);
    assert.deepEqual(check('#/components/schemas/Session', signup.body), []);

    const signin = await post('/token?grant_type=password', { email: 'doc@example.com', password: 'a-long-password' });
    assert.equal(signin.status, 200);
    assert.deepEqual(check(responseSchemaPointer('/token', 'post', '200'), signin.body), []);

    const token = String(signin.body['access_token']);
    const user = await get('/auth/v1/user', { authorization: `Bearer ${token}` });
    assert.equal(user.status, 200);
    assert.deepEqual(check(responseSchemaPointer('/user', 'get', '200'), user.body), []);

    const enrolled = await post('/factors', { factor_type: 'totp', friendly_name: 'phone' }, { authorization: `Bearer ${token}` });
    assert.equal(enrolled.status, 200);
    assert.deepEqual(check(responseSchemaPointer('/factors', 'post', '200'), enrolled.body), []);

    const otp = await post('/otp', { email: 'doc@example.com' });
    assert.equal(otp.status, 200);
    assert.deepEqual(check(responseSchemaPointer('/otp', 'post', '200'), otp.body), []);

    for (const path of ['/health', '/settings', '/.well-known/jwks.json']) {
      const res = await get(`/auth/v1${path}`);
      assert.equal(res.status, 200, path);
      assert.deepEqual(check(responseSchemaPointer(path, 'get', '200'), res.body), [], path);
    }
  });

  it('answers Auth errors in both documented shapes', async () => {
    const check = schemaChecker(auth);
    const wrong = (headers: Record<string, string>) =>
      fetch(`${server.url}/auth/v1/token?grant_type=password`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ email: 'nobody@example.com', password: 'wrong-password' }) });
    const legacy = await wrong({});
    const legacyBody = (await legacy.json()) as Record<string, unknown>;
    assert.equal(legacy.status, 400);
    assert.deepEqual(Object.keys(legacyBody).sort(), ['code', 'error_code', 'msg']);
    assert.deepEqual(check('#/components/schemas/AuthError', legacyBody), []);

    const current = await wrong({ 'x-supabase-api-version': '2024-01-01' });
    const currentBody = (await current.json()) as Record<string, unknown>;
    assert.equal(currentBody['code'], 'invalid_credentials');
    assert.deepEqual(check('#/components/schemas/AuthError', currentBody), []);

    const noKey = await get('/auth/v1/admin/users');
    assert.equal(noKey.status, 401);
    assert.deepEqual(check('#/components/schemas/AuthError', noKey.body), []);
    assert.deepEqual(check('#/components/schemas/AuthError', { error: 'not an auth error' }).length > 0, true);
  });

  it('answers the admin API as the Auth document says', async () => {
    const check = schemaChecker(auth);
    const key = server.gw.keys.serviceRole;
    const service = { authorization: `Bearer ${key}`, apikey: key };
    const users = await get('/auth/v1/admin/users?page=1&per_page=10', service);
    assert.equal(users.status, 200);
    assert.deepEqual(check(responseSchemaPointer('/admin/users', 'get', '200'), users.body), []);

    const link = await fetch(`${server.url}/auth/v1/admin/generate_link`, { method: 'POST', headers: { ...service, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'magiclink', email: 'linked@example.com' }) });
    assert.equal(link.status, 200);
    assert.deepEqual(check(responseSchemaPointer('/admin/generate_link', 'post', '200'), await link.json()), []);

    const outbox = await get('/auth/v1/admin/outbox?limit=5', service);
    assert.equal(outbox.status, 200);
    assert.ok(((outbox.body as { messages: unknown[] }).messages.length ?? 0) > 0, 'the magic link above was queued');
    assert.deepEqual(check(responseSchemaPointer('/admin/outbox', 'get', '200'), outbox.body), []);
  });

  it('answers health, metrics, MCP, the jobs API and broadcasts as the admin document says', async () => {
    const check = schemaChecker(admin);
    const health = await get('/health');
    assert.equal(health.status, 200);
    assert.deepEqual(check(responseSchemaPointer('/health', 'get', '200'), health.body), []);

    const key = server.gw.keys.serviceRole;
    for (const path of ['/jobs/v1/webhooks', '/jobs/v1/deliveries', '/jobs/v1/queues', '/jobs/v1/cron/jobs', '/jobs/v1/cron/runs']) {
      const res = await get(path, { apikey: key });
      assert.equal(res.status, 200, path);
      assert.deepEqual(check(responseSchemaPointer(path, 'get', '200'), res.body), [], path);
    }
    const anon = await get('/jobs/v1/queues', { apikey: server.gw.keys.anon });
    assert.equal(anon.status, 403);
    assert.deepEqual(check('#/components/schemas/ApiError', anon.body), []);

    const metrics = await fetch(`${server.url}/metrics`, { headers: { apikey: key } });
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain/);
    for (const path of ['/metrics', '/mcp']) {
      const res = await fetch(`${server.url}${path}`, { method: path === '/mcp' ? 'POST' : 'GET', headers: { 'content-type': 'application/json' }, ...(path === '/mcp' ? { body: '{}' } : {}) });
      assert.equal(res.status, 401, path);
      assert.deepEqual(check(responseSchemaPointer(path, path === '/mcp' ? 'post' : 'get', '401'), await res.json()), [], path);
    }

    const broadcast = (body: unknown) => fetch(`${server.url}/realtime/v1/api/broadcast`, { method: 'POST', headers: { apikey: server.gw.keys.anon, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal((await broadcast({ messages: [{ topic: 'room', event: 'hello', payload: {} }] })).status, 202);
    const refused = await broadcast({ messages: 'not a list' });
    assert.equal(refused.status, 422);
    assert.deepEqual(check('#/components/schemas/RealtimeError', await refused.json()), []);
  });

  it('serves the reference page and every file it names from this server', async () => {
    const res = await fetch(`${server.url}/docs`);
    const html = await res.text();
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.doesNotMatch(html, /(https?:)?\/\/[a-z]/i, 'no outside URL');
    const named = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => (m[1] ?? '').replaceAll('&#38;', '&'));
    const types: Record<string, RegExp> = { js: /^application\/javascript/, css: /^text\/css/, png: /^image\/png/, json: /^application\/json/ };
    for (const url of named) {
      const asset = await fetch(`${server.url}${url}`, { headers: { accept: 'application/json,*/*' } });
      const body = Buffer.from(await asset.arrayBuffer());
      assert.equal(asset.status, 200, url);
      assert.ok(body.length > 0, url);
      const ext = /\.([a-z]+)(\?|$)/.exec(url)?.[1] ?? '';
      assert.match(asset.headers.get('content-type') ?? '', types[ext] ?? /^$/, url);
    }
    assert.ok(named.some((u) => u.includes('swagger-ui-bundle.js')) && named.includes('/openapi/rest.json') && named.includes('/auth/v1/openapi.json'));
    const init = await (await fetch(`${server.url}/docs/assets/init.js`)).text();
    for (const doc of ['/openapi/rest.json', '/auth/v1/openapi.json', '/openapi/admin.json']) assert.ok(init.includes(JSON.stringify(doc)), doc);
    assert.equal((await fetch(`${server.url}/docs/assets/..%2Fpackage.json`)).status, 404);
  });

  it("serves REST's document browsable, under REST's own guard", async () => {
    const own = await get('/rest/v1/', { accept: 'application/openapi+json' });
    const copy = await get('/openapi/rest.json', { accept: 'application/json,*/*' });
    assert.equal(copy.status, 200);
    const doc = copy.body as Record<string, unknown>;
    assert.equal(doc['basePath'], '/rest/v1');
    assert.deepEqual(doc['paths'], (own.body as Record<string, unknown>)['paths']);
    // A bad key is refused by REST itself, the same way on both URLs.
    const bad = { apikey: 'not-a-jwt' };
    const refused = await get('/openapi/rest.json', bad);
    assert.equal(refused.status, 401);
    assert.deepEqual(refused.body, (await get('/rest/v1/', bad)).body);
  });
});
