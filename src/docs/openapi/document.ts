// The admin document (GET /openapi/admin.json): Groundwork's own endpoints outside REST and
// Auth. It lists only what this server serves: an operation whose route is not registered
// (a module left out or turned off) is left out, so the document never promises a route.
import { pathsOf, routesOf, type Document, type DocumentedPath, type Method, type PathItem } from '../../lib/openapi.ts';
import { adminComponents } from './components.ts';
import { docsPaths } from './docs.ts';
import { functionsPaths } from './functions.ts';
import { jobsPaths } from './jobs.ts';
import { platformPaths } from './platform.ts';
import { realtimePaths } from './realtime.ts';

/** Everything the admin document can describe. */
export const adminDocumentedPaths: readonly DocumentedPath[] = [...platformPaths, ...jobsPaths, ...functionsPaths, ...realtimePaths, ...docsPaths];

/** Whether the server has a route (Fastify's `hasRoute`). */
export type HasRoute = (method: string, url: string) => boolean;

const DOC_METHODS: readonly Method[] = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The documented paths cut down to the operations `has` confirms. */
export function servedPaths(documented: readonly DocumentedPath[], has: HasRoute): DocumentedPath[] {
  return documented.flatMap((p) => {
    const item: Record<string, unknown> = { ...p.item };
    for (const m of DOC_METHODS) if (item[m] !== undefined && !routesOf(p).some((r) => has(m.toUpperCase(), r))) delete item[m];
    return DOC_METHODS.some((m) => item[m] !== undefined) ? [{ ...p, item: item as PathItem }] : [];
  });
}

export function adminDocument(has: HasRoute, version: string): Document {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Groundwork platform and admin endpoints',
      version,
      description:
        'What Groundwork serves besides REST (/rest/v1, its own document) and Auth (/auth/v1/openapi.json): health and metrics, MCP, the jobs admin API, Edge Functions, Realtime broadcasts over HTTP and this documentation. Admin endpoints take the service_role key: never ship it to browsers.',
    },
    servers: [{ url: '/', description: 'This server' }],
    tags: [
      { name: 'Operations', description: 'For load balancers, scrapers and agents' },
      { name: 'Jobs', description: 'Webhooks, outbound requests, queues and cron (service_role)' },
      { name: 'Functions', description: 'Edge Functions' },
      { name: 'Realtime', description: 'Broadcast over HTTP' },
      { name: 'Documentation', description: 'This page and its documents' },
    ],
    paths: pathsOf(servedPaths(adminDocumentedPaths, has)),
    components: adminComponents,
  };
}
