// The documentation routes: the reference page and its files (/docs), the admin document
// and the browsable REST copy (/openapi/*). All public, as REST's own document is: they
// describe the APIs, not their data. Their code and files load on the first request.
import type { FastifyInstance } from 'fastify';
import { coreErrors } from '../errors/core-catalogue.ts';

/** The admin document's version (it describes this server's routes, not a release). */
const VERSION = 'groundwork';

export function registerDocsRoutes(http: FastifyInstance): void {
  let admin: string | undefined;

  http.get('/docs', async (_request, reply) => {
    const [{ pageHtml, PAGE_CSP }, { swaggerUiVersion }] = await Promise.all([import('./page.ts'), import('./assets.ts')]);
    const html = pageHtml(await swaggerUiVersion());
    return reply.type('text/html; charset=utf-8').header('content-security-policy', PAGE_CSP).header('cache-control', 'no-cache').send(html);
  });

  http.get<{ Params: { file: string } }>('/docs/assets/:file', async (request, reply) => {
    const { asset } = await import('./assets.ts');
    const found = asset(request.params.file);
    if (found === undefined) throw coreErrors.routeNotFound('GET', request.url.split('?')[0] ?? '');
    const { type, body } = await found;
    // The page names them with ?v=<Swagger UI's version>: a new version is a new URL.
    return reply.type(type).header('cache-control', 'public, max-age=86400').send(body);
  });

  http.get('/openapi/admin.json', async (_request, reply) => {
    if (admin === undefined) {
      const { adminDocument } = await import('./openapi/document.ts');
      // Routes are fixed once the server listens: the document is built once.
      admin = JSON.stringify(adminDocument((method, url) => http.hasRoute({ method: method as 'GET', url }), VERSION));
    }
    return reply.type('application/json; charset=utf-8').send(admin);
  });

  http.get('/openapi/rest.json', async (request, reply) => {
    const { restDocumentFor } = await import('./rest-copy.ts');
    const answer = await restDocumentFor(http, request);
    return reply.code(answer.status).type(answer.type).send(answer.body);
  });
}
