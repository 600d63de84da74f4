// The floor under embedded mode, for `npm run measure:start`: the least a Node process that
// serves a PGlite database over HTTP does. It opens the data directory given as its argument
// as Groundwork does (the same extensions and shared_buffers, on the main thread: no worker,
// no Fastify, no API) and answers GET /health with `select 1` on PORT. Its start and idle RSS
// are what Groundwork's embedded figures are set against.
import { createServer } from 'node:http';
import process from 'node:process';
import { PGlite } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { uuid_ossp } from '@electric-sql/pglite/contrib/uuid_ossp';

const pgdata = process.argv[2];
if (pgdata === undefined) throw new Error('usage: pglite-floor.mjs <PGlite data directory>');
const pg = await PGlite.create(pgdata, {
  extensions: { pgcrypto, uuid_ossp },
  startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'],
});
const server = createServer((req, res) => {
  pg.query('select 1').then(
    () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'),
    () => res.writeHead(503).end(),
  );
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => void pg.close().then(() => process.exit(0))));
