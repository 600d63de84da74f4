import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compile } from '../../lib/sql.ts';
import { checkStatement, visibilityQuery } from './visibility.ts';

const table = { relid: '1', schema: 'public', name: 'to"dos', rls: true, replicaFull: false, primaryKey: ['id', 'org'], columns: [] };

describe('realtime visibility check', () => {
  it('quotes every name and joins the whole key', () => {
    assert.equal(
      visibilityQuery(table),
      `select coalesce(jsonb_agg(e.ord), '[]'::jsonb) from jsonb_array_elements($1) with ordinality as e(v, ord), lateral jsonb_populate_record(null::"public"."to""dos", e.v) as k where exists (select from "public"."to""dos" as t where t."id" = k."id" and t."org" = k."org")`,
    );
  });

  it('passes the queries and the checks as values', () => {
    const c = compile(checkStatement(['q1'], [{ k: 0, q: 1, role: 'authenticated', claims: '{"sub":"x"}', keys: [{ id: 1 }] }]));
    assert.equal(c.text, 'select k, visible, error from _groundwork.realtime_visible($1::text[], $2::jsonb)');
    assert.deepEqual(c.values[0], ['q1']);
    assert.deepEqual(JSON.parse(String(c.values[1])), [{ k: 0, q: 1, role: 'authenticated', claims: '{"sub":"x"}', keys: [{ id: 1 }] }]);
  });
});
