import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Database, QueryResult, TransactionOptions } from '../db/port.ts';
import { compile, type Sql } from '../lib/sql.ts';
import { introspectionQuery } from './introspect.ts';
import { loadSchemaCache } from './store.ts';

const fixture: unknown = JSON.parse(readFileSync(new URL('./fixtures/blog.json', import.meta.url), 'utf8'));

/** A database that answers the introspection with the blog fixture and records how it was asked. */
function recordingDatabase() {
  const calls: Array<{ kind: string; statements: string[]; options: TransactionOptions | undefined }> = [];
  const answer = (): QueryResult => ({ rows: [{ cache: fixture }], rowCount: 1 });
  const unexpected = () => Promise.reject(new Error('not used by the schema cache'));
  const db: Database = {
    mode: 'server',
    query: (q) => {
      calls.push({ kind: 'query', statements: [compile(q).text], options: undefined });
      return Promise.resolve(answer() as never);
    },
    pipeline: (statements: readonly Sql[], options?: TransactionOptions) => {
      calls.push({ kind: 'pipeline', statements: statements.map((s) => compile(s).text), options });
      return Promise.resolve(statements.map(answer));
    },
    script: unexpected,
    transaction: unexpected,
    listen: unexpected,
    ping: unexpected,
    close: () => Promise.resolve(),
  };
  return { db, calls };
}

describe('loadSchemaCache', () => {
  it('introspects in one round trip with JIT off (PostgreSQL compiled the catalog query for 1.5 s)', async () => {
    const { db, calls } = recordingDatabase();
    const cache = await loadSchemaCache(db);
    assert.ok(cache.relations.has('public.posts'));
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.kind, 'pipeline');
    assert.deepEqual(calls[0]?.statements, [compile(introspectionQuery).text]);
    assert.deepEqual(calls[0]?.options?.settings, [['jit', 'off']]);
  });
});
