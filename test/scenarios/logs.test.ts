// The log store behind a real server: a REST request reaches `_groundwork.logs` with its
// request id, start-up's own observations are there too, and what is buffered at shutdown
// is written before the database closes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../../src/db/open.ts';
import { getLogs } from '../../src/logs/get-logs.ts';
import { parseLogFilter, queryLogs, type LogRecord } from '../../src/logs/query.ts';
import { createTestDatabase, dbKind, quiet, type TestDatabase } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const blog = join(import.meta.dirname, '../../examples/blog');
// The harness's servers log nothing (LOG_LEVEL=silent); the store keeps info and up here.
const env = { GROUNDWORK_LOG_STORE_LEVEL: 'info' };

/** Polls the store until `filter` finds something (the writer flushes every second). */
async function waitFor(s: TestServer, filter: unknown): Promise<LogRecord[]> {
  for (let i = 0; i < 50; i++) {
    const rows = await queryLogs(s.gw.db.admin, parseLogFilter(filter));
    if (rows.length > 0) return rows;
    await sleep(100);
  }
  assert.fail(`nothing in the log store for ${JSON.stringify(filter)}`);
}

describe(`log store behind a server (${dbKind})`, () => {
  let database: TestDatabase;
  let s: TestServer;
  before(async () => {
    database = await createTestDatabase({ projectDir: blog, env });
    s = await startTestServer({ database });
  });
  after(async () => {
    await s.stop();
    await database.dispose();
  });

  it('stores a REST request with its request id, as the rest service and in get_logs("api")', async () => {
    const requestId = `logs-test-${Date.now()}`;
    const res = await fetch(`${s.url}/rest/v1/posts?select=id`, { headers: { apikey: s.gw.keys.anon, 'x-request-id': requestId } });
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    const [row] = await waitFor(s, { requestId });
    assert.deepEqual(row && [row.service, row.level, row.event, row.message, row.fields['status']], ['rest', 'info', 'request', 'GET /rest/v1/posts?select=id 200', 200]);
    const api = await getLogs(s.gw.db.admin, 'api');
    assert.deepEqual(api.find((r) => r['request_id'] === requestId)?.['path'], '/rest/v1/posts');
  });

  it("keeps what start-up observed before the server listened, with this node's name", async () => {
    const rows = await waitFor(s, { services: ['server'], events: ['bootstrap'] });
    assert.match(rows[0]?.node ?? '', /:\d+$/);
  });
});

describe(`log store at shutdown (${dbKind})`, () => {
  it('writes what is still buffered when the server stops', async () => {
    const database = await createTestDatabase({ projectDir: blog, env });
    try {
      const s = await startTestServer({ database });
      const requestId = `logs-stop-${Date.now()}`;
      const res = await fetch(`${s.url}/rest/v1/posts?select=id`, { headers: { apikey: s.gw.keys.anon, 'x-request-id': requestId } });
      await res.arrayBuffer();
      // The writer flushes every second: stopped at once, only the stop can have written it.
      await s.stop();
      const db = await openDatabase(database.config, quiet);
      try {
        const rows = await queryLogs(db, parseLogFilter({ requestId }));
        assert.deepEqual(rows.map((r) => r.message), ['GET /rest/v1/posts?select=id 200']);
      } finally {
        await db.close();
      }
    } finally {
      await database.dispose();
    }
  });
});

describe(`log store switched off (${dbKind})`, () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ projectDir: blog, env: { ...env, GROUNDWORK_LOG_STORE: 'false' } });
  });
  after(() => s.stop());

  it('stores nothing', async () => {
    const res = await fetch(`${s.url}/rest/v1/posts?select=id`, { headers: { apikey: s.gw.keys.anon } });
    await res.arrayBuffer();
    await sleep(1_500);
    assert.deepEqual(await queryLogs(s.gw.db.admin, parseLogFilter({})), []);
  });
});

