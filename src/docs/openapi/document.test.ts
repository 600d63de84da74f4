import { it } from 'node:test';
import assert from 'node:assert/strict';
import { consistencyProblems, openApiErrors, operationsOf } from '../../../test/support/openapi.ts';
import { adminDocument, adminDocumentedPaths, servedPaths } from './document.ts';

const everything = adminDocument(() => true, 'test');

it('is valid OpenAPI 3.1 with every area present', async () => {
  assert.deepEqual(await openApiErrors(everything), []);
  assert.deepEqual(consistencyProblems(everything), []);
});

it('leaves out what the server does not serve, down to single methods', async () => {
  const served = new Set(['GET /health', 'POST /mcp', 'GET /docs', 'GET /functions/v1/*']);
  const doc = adminDocument((method, url) => served.has(`${method} ${url}`), 'test');
  assert.deepEqual([...operationsOf(doc)].sort(), ['GET /docs', 'GET /functions/v1/{name}', 'GET /functions/v1/{name}/{subpath}', 'GET /health', 'POST /mcp']);
  assert.deepEqual(await openApiErrors(doc), []);
  assert.deepEqual(consistencyProblems(doc), []);
});

it('keeps a path whose any route is served (functions: with and without a name)', () => {
  const only = servedPaths(adminDocumentedPaths, (m, url) => m === 'POST' && url === '/functions/v1');
  assert.deepEqual(only.map((p) => [p.path, Object.keys(p.item)]), [['/functions/v1/{name}', ['post']]]);
});

it('guards the jobs API with the service_role and nothing else', () => {
  for (const [path, item] of Object.entries(everything.paths)) {
    if (!path.startsWith('/jobs/v1/')) continue;
    for (const op of [item.get, item.post]) if (op !== undefined) assert.deepEqual(op.security, [{ serviceRole: [] }, { serviceRoleKey: [] }], path);
  }
});
