import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../db/port.ts';
import { sql } from '../lib/sql.ts';
import { buildSchemaCache } from '../schema-cache/build.ts';
import { lateDatabase, lateSchema } from './late.ts';

const emptyCache = buildSchemaCache({ relations: [], foreignKeys: [], routines: [], roles: [], schemas: [], statementTimeouts: {} });

/** A database that answers every query with its own name. */
function named(name: string, activity?: Database['activity']): Database {
  const answer = () => Promise.resolve({ rows: [{ name }], rowCount: 1 });
  return {
    mode: 'embedded',
    query: answer as Database['query'],
    script: () => Promise.resolve(),
    transaction: (work) => work({ query: answer as Database['query'], script: () => Promise.resolve() }),
    pipeline: () => Promise.resolve([{ rows: [{ name }], rowCount: 1 }]),
    listen: () => Promise.resolve(() => Promise.resolve()),
    ping: () => Promise.resolve(),
    ...(activity === undefined ? {} : { activity }),
    close: () => Promise.resolve(),
  };
}

describe('late views (built before the database opens, bound before listening)', () => {
  it('says what was used too early', () => {
    const db = lateDatabase('server');
    assert.throws(() => db.query(sql`select 1`), /the database used before start-up bound it/);
    assert.throws(() => lateSchema().current, /the schema cache used before start-up bound it/);
  });

  it('hands every call to what it was bound to', async () => {
    const db = lateDatabase('embedded');
    db.bind(named('real'));
    assert.deepEqual((await db.query(sql`select 1`)).rows, [{ name: 'real' }]);
    assert.deepEqual((await db.transaction((tx) => tx.query(sql`select 1`))).rows, [{ name: 'real' }]);
    assert.deepEqual((await db.pipeline([sql`select 1`]))[0]?.rows, [{ name: 'real' }]);
    const schema = lateSchema();
    schema.bind({ current: emptyCache });
    assert.equal(schema.current, emptyCache);
  });

  it("reports the bound database's activity, and an idle one for a pool without any", () => {
    const busy = lateDatabase('embedded');
    busy.bind(named('one session', () => ({ busyMs: 40, waiting: 2 })));
    assert.deepEqual(busy.activity?.(), { busyMs: 40, waiting: 2 });
    const pool = lateDatabase('server');
    pool.bind(named('pool'));
    assert.deepEqual(pool.activity?.(), { busyMs: 0, waiting: 0 });
  });
});
