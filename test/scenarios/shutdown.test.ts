// Graceful shutdown: requests in flight finish, new connections are refused, and the
// database is closed.
import { once } from 'node:events';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DbUnavailableError } from '../../src/db/errors.ts';
import { sql } from '../../src/lib/sql.ts';
import { dbKind } from '../support/db.ts';
import { registerProbe } from '../support/probe.ts';
import { startTestServer } from '../support/server.ts';

describe(`graceful shutdown (${dbKind})`, () => {
  it('finishes in-flight requests, then stops accepting and closes the database', async () => {
    const s = await startTestServer({ register: registerProbe });
    // Close once the request has arrived (on a loaded machine 150 ms may not be enough).
    const arrived = once(s.gw.http.server, 'request');
    const inflight = fetch(`${s.url}/probe/slow`);
    await arrived;
    await new Promise((r) => setTimeout(r, 100));
    const closing = s.gw.close();
    const res = await inflight;
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { pg_sleep: '', status: 'finished' });
    await closing;
    await assert.rejects(fetch(`${s.url}/health`), /fetch failed/);
    await assert.rejects(s.gw.db.api.query(sql`select 1`), DbUnavailableError);
    await s.stop();
  });
});
