// Test-only routes registered on a real server through the `register` hook. They use the
// real request context, caller transactions and error catalogue, so the scenarios exercise
// the HTTP core end to end before any API family exists on top of it.
import type { FastifyInstance } from 'fastify';
import type { Groundwork } from '../../src/app/start.ts';
import { DbError } from '../../src/db/errors.ts';
import { coreErrors } from '../../src/errors/core-catalogue.ts';
import { resolveCaller } from '../../src/http/request-context.ts';
import { sql } from '../../src/lib/sql.ts';

type Core = Omit<Groundwork, 'close' | 'url' | 'port' | 'dbUrl'>;

export function registerProbe(app: FastifyInstance, gw: Core): void {
  const callerOf = (req: { method: string; url: string; headers: Record<string, string | string[] | undefined> }) =>
    resolveCaller({ method: req.method, path: req.url.split('?')[0] ?? '/', headers: req.headers }, { verify: gw.verifyToken, roles: gw.schema.current.roles, anonRole: 'anon' });

  app.get('/probe/whoami', async (req) => {
    const { caller, authenticated } = await callerOf(req);
    return gw.db.api
      .transaction(
        async (tx) =>
          (
            await tx.query(sql`select current_user as role, session_user as login, auth.uid()::text as uid, current_setting('request.method') as method,
              current_setting('request.path') as path, current_setting('request.headers')::json ->> 'x-probe' as header,
              (select count(*)::int from public.posts) as posts`)
          ).rows[0],
        { caller },
      )
      .catch((e: unknown) => {
        throw e instanceof DbError ? coreErrors.fromDb(e, authenticated) : e;
      });
  });

  app.post('/probe/comment', async (req) => {
    const { caller, authenticated } = await callerOf(req);
    const body = req.body as { post_id: string; author_id: string; body: string };
    return gw.db.api
      .transaction(
        async (tx) => (await tx.query(sql`insert into public.comments (post_id, author_id, body) values (${body.post_id}, ${body.author_id}, ${body.body}) returning id::int`)).rows[0],
        { caller },
      )
      .catch((e: unknown) => {
        throw e instanceof DbError ? coreErrors.fromDb(e, authenticated) : e;
      });
  });

  app.post('/probe/echo', async (req) => ({ received: JSON.stringify(req.body).length }));
  app.get('/probe/slow', async () => gw.db.api.transaction(async (tx) => (await tx.query(sql`select pg_sleep(0.5), 'finished' as status`)).rows[0]));
  app.get('/probe/crash', async () => {
    throw new Error('secret internal detail');
  });
}
