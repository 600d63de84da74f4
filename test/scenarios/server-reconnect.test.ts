// Server mode: when PostgreSQL goes away /health says so (503), and the pool reconnects by
// itself when it is back. Runs in the PostgreSQL phase with a cluster of its own, since it
// stops and starts the server.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig } from '../../src/config/load.ts';
import { dbKind, TEST_JWT_SECRET } from '../support/db.ts';
import { startPgCluster } from '../support/pg-cluster.ts';
import { startTestServer } from '../support/server.ts';

const health = async (url: string) => {
  const res = await fetch(`${url}/health`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

if (dbKind === 'postgres') {
  describe('server mode: database restart', () => {
    it('reports the database as down while it is, then recovers by itself', async () => {
      const cluster = await startPgCluster();
      const config = resolveConfig({ flags: {}, env: { DATABASE_URL: cluster.url, JWT_SECRET: TEST_JWT_SECRET, PORT: '0', GROUNDWORK_DATA_DIR: cluster.dir }, cwd: cluster.dir, readFile: () => undefined });
      const s = await startTestServer({ database: { config, url: cluster.url, dispose: async () => undefined } });
      try {
        assert.equal((await health(s.url)).status, 200);
        cluster.stop();
        const down = await health(s.url);
        assert.equal(down.status, 503);
        assert.equal(down.body['code'], 'PGRST000');
        assert.equal(down.body['message'], 'Database connection error. Retrying the connection.');
        cluster.start();
        let status = 0;
        for (let i = 0; i < 100 && status !== 200; i++) {
          status = (await health(s.url)).status;
          if (status !== 200) await new Promise((r) => setTimeout(r, 100));
        }
        assert.equal(status, 200, 'healthy again after the restart');
      } finally {
        await s.stop();
        cluster.destroy();
      }
    });
  });
}
