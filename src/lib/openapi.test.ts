import { it } from 'node:test';
import assert from 'node:assert/strict';
import { pathsOf, routesOf, type DocumentedPath } from './openapi.ts';

const ok = { responses: { '200': { description: 'OK' } } };

it('maps a documented path to the Fastify routes serving it', () => {
  const cases: Array<[DocumentedPath, readonly string[]]> = [
    [{ path: '/health', item: { get: ok } }, ['/health']],
    [{ path: '/admin/users/{id}/factors/{factor}', item: { put: ok } }, ['/admin/users/:id/factors/:factor']],
    [{ path: '/sso/{subpath}', routes: ['/sso/*'], item: { get: ok } }, ['/sso/*']],
    [{ path: '/functions/v1/{name}', routes: ['/functions/v1', '/functions/v1/*'], item: { get: ok } }, ['/functions/v1', '/functions/v1/*']],
  ];
  for (const [p, routes] of cases) assert.deepEqual(routesOf(p), routes, p.path);
});

it('builds the paths object and refuses a path documented twice', () => {
  assert.deepEqual(Object.keys(pathsOf([{ path: '/a', item: { get: ok } }, { path: '/b', item: { post: ok } }])), ['/a', '/b']);
  assert.throws(() => pathsOf([{ path: '/a', item: { get: ok } }, { path: '/a', item: { post: ok } }]), /documented twice/);
});
