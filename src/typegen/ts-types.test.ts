import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PgType, Relation } from './model.ts';
import { compareNames, tsType, tsTypeOf, withNull, type TypeLookup } from './ts-types.ts';

const type = (id: number, schema: string, name: string, extra: Partial<PgType> = {}): PgType => ({
  id,
  schema,
  name,
  format: name,
  enumValues: [],
  attributes: [],
  relationId: null,
  ...extra,
});
const relation = (id: number, schema: string, name: string, kind: Relation['kind']): Relation => ({ id, schema, name, kind, insertable: false, updatable: false, columns: [] });

const types = [
  type(1, 'hidden', 'level', { enumValues: ['low', 'high'] }),
  type(2, 'hidden', 'opaque', { attributes: [{ name: 'x', typeId: 23 }] }),
  type(3, 'public', 'address', { attributes: [{ name: 'street', typeId: 25 }] }),
  type(4, 'public', 'mood', { enumValues: ['sad', 'ok'] }),
  type(5, 'shop', 'mood', { enumValues: ['grumpy'] }),
  type(23, 'pg_catalog', 'int4'),
];
const lookup: TypeLookup = {
  listed: new Set(['public', 'shop']),
  types,
  typesById: new Map(types.map((t) => [t.id, t])),
  relationsInOrder: [
    ['Tables', [relation(10, 'hidden', 'books', 'table'), relation(11, 'public', 'books', 'table'), relation(12, 'shop', 'orders', 'table')]],
    ['Tables', [relation(13, 'public', 'remote', 'foreign-table')]],
    ['Views', [relation(14, 'public', 'books_view', 'view')]],
    ['Views', [relation(15, 'hidden', 'stats', 'materialized-view')]],
  ],
};

describe('tsType', () => {
  const cases: Array<[name: string, typeSchema: string | undefined, expected: string]> = [
    ['bool', undefined, 'boolean'],
    ['int2', undefined, 'number'],
    ['int8', undefined, 'number'],
    ['numeric', undefined, 'number'],
    ['float8', undefined, 'number'],
    ['text', undefined, 'string'],
    ['bpchar', undefined, 'string'],
    ['timestamptz', undefined, 'string'],
    ['interval', undefined, 'string'],
    ['uuid', undefined, 'string'],
    ['bytea', undefined, 'string'],
    ['json', undefined, 'Json'],
    ['jsonb', undefined, 'Json'],
    ['void', undefined, 'undefined'],
    ['record', undefined, 'Record<string, unknown>'],
    ['inet', undefined, 'unknown'],
    ['money', undefined, 'unknown'],
    ['_text', undefined, '(string)[]'],
    ['__int4', undefined, '((number)[])[]'],
    ['mood', 'public', `Database["public"]['Enums']["mood"]`],
    ['mood', 'shop', `Database["shop"]['Enums']["mood"]`],
    ['_mood', 'shop', `(Database["shop"]['Enums']["mood"])[]`],
    // Owned by a schema that has no such enum: the first by schema order.
    ['mood', 'elsewhere', `Database["public"]['Enums']["mood"]`],
    ['level', 'hidden', '"low"|"high"'],
    ['address', 'public', `Database["public"]['CompositeTypes']["address"]`],
    ['opaque', 'hidden', 'unknown'],
    ['books', 'public', `Database["public"]['Tables']["books"]['Row']`],
    ['books', 'hidden', 'unknown'],
    ['orders', 'public', `Database["shop"]['Tables']["orders"]['Row']`],
    ['remote', 'public', `Database["public"]['Tables']["remote"]['Row']`],
    ['books_view', 'public', `Database["public"]['Views']["books_view"]['Row']`],
    ['stats', 'hidden', 'unknown'],
    ['nothing', 'public', 'unknown'],
  ];
  for (const [name, typeSchema, expected] of cases) {
    it(`${typeSchema ?? '?'}.${name} → ${expected}`, () => assert.equal(tsType(lookup, 'public', name, typeSchema), expected));
  }

  it('without the owning schema, prefers the current one', () => assert.equal(tsType(lookup, 'shop', 'mood'), `Database["shop"]['Enums']["mood"]`));
  it('by OID; unknown OIDs are unknown', () => {
    assert.equal(tsTypeOf(lookup, 'public', 23), 'number');
    assert.equal(tsTypeOf(lookup, 'public', 9999), 'unknown');
  });
});

describe('withNull', () => {
  const cases: Array<[string, boolean, string]> = [
    ['string', true, 'string | null'],
    ['string', false, 'string'],
    ['unknown', true, 'unknown'],
    ['Json', true, 'Json | null'],
    ['Json', false, 'NonNullable<Json>'],
    ['(string)[]', true, '(string)[] | null'],
  ];
  for (const [ts, nullable, expected] of cases) it(`${ts}, nullable ${nullable}`, () => assert.equal(withNull(ts, nullable), expected));
});

describe('compareNames', () => {
  it('orders by English collation, not code points', () => {
    assert.deepEqual(['b', 'Éclair', '_under', 'a', 'Zebra', 'apple', 'éa'].sort(compareNames), ['_under', 'a', 'apple', 'b', 'éa', 'Éclair', 'Zebra']);
  });
});
