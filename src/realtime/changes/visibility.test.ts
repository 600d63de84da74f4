import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compile } from '../../lib/sql.ts';
import { checkStatement, keyText, visibilityQuery, visiblePositions } from './visibility.ts';

const columns = [
  { name: 'id', type: 'int8', sqlType: 'bigint' },
  { name: 'org', type: 'text', sqlType: 'text' },
];
const single = { relid: '1', schema: 'public', name: 'to"dos', rls: true, replicaFull: false, primaryKey: ['id'], columns };
const composite = { ...single, primaryKey: ['id', 'org'] };

describe('realtime visibility check', () => {
  it('looks a one-column integer key up typed and answers the visible keys, every name quoted', () => {
    assert.equal(
      visibilityQuery(single),
      `select coalesce(jsonb_agg(t."id"), '[]'::jsonb) from "public"."to""dos" as t where t."id" = any($1::bigint[])`,
    );
  });

  it('answers positions for a one-column key whose JSON depends on settings (a timestamp)', () => {
    const stamped = { ...single, columns: [{ name: 'id', type: 'timestamptz', sqlType: 'timestamp with time zone' }] };
    assert.equal(
      visibilityQuery(stamped),
      `select coalesce(jsonb_agg(k.ord), '[]'::jsonb) from unnest($1::timestamp with time zone[]) with ordinality as k(v, ord) where exists (select from "public"."to""dos" as t where t."id" = k.v)`,
    );
  });

  it('maps what a check answered to the positions of the keys given', () => {
    const positions = new Map([['12', 1], ['7', 2], ['a"b', 3]]);
    const cases: ReadonlyArray<[string, typeof single, unknown[], number[]]> = [
      ['integer keys read back as numbers', single, [7, 12], [2, 1]],
      ['text keys read back as strings', { ...single, primaryKey: ['org'] }, ['a"b'], [3]],
      ['a key that reads back otherwise is left out', single, ['12.0', 99], []],
      ['composite keys answer positions', composite, [3, 1], [3, 1]],
    ];
    for (const [name, table, visible, expected] of cases) assert.deepEqual([...visiblePositions(table, positions, visible)], expected, name);
  });

  it('reads a composite key from JSON into the row type', () => {
    assert.equal(
      visibilityQuery(composite),
      `select coalesce(jsonb_agg(k.ord), '[]'::jsonb) from unnest($1) with ordinality as k(v, ord), lateral jsonb_populate_record(null::"public"."to""dos", k.v::jsonb) as r where exists (select from "public"."to""dos" as t where t."id" = r."id" and t."org" = r."org")`,
    );
  });

  it('renders keys as the query reads them', () => {
    assert.equal(keyText(single, { id: 12, org: 'x' }), '12');
    assert.equal(keyText({ ...single, primaryKey: ['org'] }, { org: 'a"b' }), 'a"b');
    assert.equal(keyText(composite, { org: 'x', id: 12 }), '{"id":12,"org":"x"}');
  });

  it('checks every table in one statement, with the queries, keys and checks as text values', () => {
    const c = compile(checkStatement([{ query: 'q1', keys: ['1', 'a"b'], checks: [{ k: 0, role: 'anon', claims: '{}' }] }, { query: 'q2', keys: ['2'], checks: [{ k: 1, role: 'anon', claims: '{}' }] }]));
    const one = (q: number, keys: number, checks: number) =>
      `select k, visible, error from _groundwork.realtime_visible($${q}, array(select jsonb_array_elements_text($${keys}::jsonb)), $${checks}::jsonb)`;
    assert.equal(c.text, `${one(1, 2, 3)} union all ${one(4, 5, 6)}`);
    // Text only, so the embedded database takes the statement prepared, in one exchange.
    assert.deepEqual(c.values, ['q1', '["1","a\\"b"]', '[{"k":0,"role":"anon","claims":"{}"}]', 'q2', '["2"]', '[{"k":1,"role":"anon","claims":"{}"}]']);
  });
});
