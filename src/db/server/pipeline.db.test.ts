// Server adapter: a pipeline (the caller's scope, the statements, COMMIT) costs one round
// trip to PostgreSQL, as REST reads and writes rely on. Measured through a proxy that holds
// every chunk back for a fixed delay, so a round trip is slow enough to count. Through
// postgres.js's begin() the same work took three (BEGIN, the statements, COMMIT). And a
// pipeline whose prepared statements the server no longer has is answered, not left hanging.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { sql } from '../../lib/sql.ts';
import { createTestDatabase, dbKind, type TestDatabase } from '../../../test/support/db.ts';
import type { Database, TransactionOptions } from '../port.ts';
import { openServerDatabase } from './adapter.ts';

const DELAY_MS = 60;

/** A TCP proxy to `target` that forwards each chunk, in order, after DELAY_MS. */
function delayingProxy(host: string, port: number): Promise<{ server: Server; port: number }> {
  const sockets = new Set<Socket>();
  const relay = (from: Socket, to: Socket) => {
    from.on('data', (chunk) => setTimeout(() => to.writable && to.write(chunk), DELAY_MS));
    from.on('close', () => setTimeout(() => to.destroy(), DELAY_MS));
    from.on('error', () => to.destroy());
  };
  const server = createServer((client) => {
    const upstream = connect(port, host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    relay(client, upstream);
    relay(upstream, client);
  });
  server.on('close', () => {
    for (const s of sockets) s.destroy();
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address !== null ? address.port : 0 });
    });
  });
}

if (dbKind === 'postgres') {
  describe('server adapter: pipeline round trips', () => {
    let t: TestDatabase;
    let proxy: Server;
    let db: Database;

    before(async () => {
      t = await createTestDatabase();
      const target = new URL(t.url ?? '');
      const p = await delayingProxy(target.hostname, Number(target.port));
      proxy = p.server;
      target.hostname = '127.0.0.1';
      target.port = String(p.port);
      db = openServerDatabase({ url: target.href, poolSize: 1, connectTimeoutSeconds: 10 });
    });
    after(async () => {
      await db.close();
      proxy.close();
      await t.dispose();
    });

    const work = [sql`select 1 as a`, sql`select ${2}::int as b`, sql`select ${'x'}::text as c`];
    const caller = { role: 'anon', claims: { role: 'anon' }, headers: {}, cookies: {}, method: 'GET', path: '/rest/v1/x' };
    const opts: TransactionOptions = { caller, statementTimeoutMs: 3000, readOnly: true };

    it('sends the scope, the statements and COMMIT together: one round trip once prepared', async () => {
      // The first run connects and prepares each statement (a describe round trip apiece).
      const warm = await db.pipeline(work, opts);
      assert.deepEqual(warm.map((r) => r.rows[0]), [{ a: 1 }, { b: 2 }, { c: 'x' }]);
      const started = performance.now();
      const results = await db.pipeline(work, opts);
      const ms = performance.now() - started;
      assert.deepEqual(results.map((r) => r.rows[0]), [{ a: 1 }, { b: 2 }, { c: 'x' }]);
      // One round trip is 2 × DELAY_MS through the proxy; three would be six.
      assert.ok(ms < 4 * DELAY_MS, `pipeline took ${ms.toFixed(0)} ms, more than one round trip of ${2 * DELAY_MS} ms`);
    });

    it('answers a pipeline on a connection that lost its prepared statements, where the driver hung', async () => {
      await db.pipeline(work, opts);
      await db.script('deallocate all'); // the pool's one connection
      const results = await Promise.race([
        db.pipeline(work, opts),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer in 5 s')), 5000)),
      ]);
      assert.deepEqual(results.map((r) => r.rows[0]), [{ a: 1 }, { b: 2 }, { c: 'x' }]);
    });

    it('rolls back when asked and after a failed statement, in one round trip, and the connection serves on', async () => {
      await db.query(sql`create table if not exists pipeline_probe (n int)`);
      await db.pipeline([sql`insert into pipeline_probe values (${1})`], { rollback: true });
      const failed = await db.pipeline([sql`insert into pipeline_probe values (${2})`, sql`select 1/0`]).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(failed instanceof Error && /division by zero/.test(failed.message), String(failed));
      const started = performance.now();
      const again = await db.pipeline([sql`insert into pipeline_probe values (${3})`, sql`select count(*)::int as n from pipeline_probe`]);
      assert.ok(performance.now() - started < 4 * DELAY_MS, 'still one round trip');
      assert.deepEqual(again[1]?.rows, [{ n: 1 }]);
    });
  });
}
