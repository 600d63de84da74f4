import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildRelationships, type ForeignKey, type ViewQueries } from './relationships.ts';

// books (oid 10) has books_author_id_fkey (author_id, column 2) → authors (oid 20) (id, column 1).
const fk: ForeignKey = {
  constraint: 'books_author_id_fkey',
  schema: 'public',
  relation: 'books',
  relationId: 10,
  keys: [2],
  columns: ['author_id'],
  referencedSchema: 'public',
  referencedRelation: 'authors',
  referencedId: 20,
  referencedKeys: [1],
  referencedColumns: ['id'],
  oneToOne: false,
};

/** A view whose columns come from (relation oid, column number) pairs, in order. */
function view(id: number, name: string, columns: Array<[string, number, number]>): ViewQueries {
  const targets = columns.map(([col, tbl, att], i) => `{TARGETENTRY :expr {VAR :varno 1} :resno ${i + 1} :resname ${col} :resorigtbl ${tbl} :resorigcol ${att} :resjunk false}`);
  return { id, schema: 'public', name, columns: new Map(columns.map(([col], i) => [i + 1, col])), queries: [`({QUERY :targetList (${targets.join(' ')})})`] };
}

const summary = (rs: ReturnType<typeof buildRelationships>) => rs.map((r) => `${r.relation}(${r.columns.join(',')}) -> ${r.referencedRelation}(${r.referencedColumns.join(',')})`);

describe('buildRelationships', () => {
  const cases: Array<[string, ViewQueries[], string[]]> = [
    ['no views: the key itself', [], ['books(author_id) -> authors(id)']],
    ['a view of the referencing table', [view(30, 'books_view', [['id', 10, 1], ['writer', 10, 2]])], ['books(author_id) -> authors(id)', 'books_view(writer) -> authors(id)']],
    ['a view of the referenced table', [view(31, 'author_names', [['author_key', 20, 1]])], ['books(author_id) -> authors(id)', 'books(author_id) -> author_names(author_key)']],
    [
      'views on both sides also relate to each other',
      [view(30, 'bv', [['a', 10, 2]]), view(31, 'av', [['k', 20, 1]])],
      ['books(author_id) -> authors(id)', 'bv(a) -> authors(id)', 'books(author_id) -> av(k)', 'bv(a) -> av(k)'],
    ],
    ['a view that leaves out a key column relates to nothing', [view(30, 'titles', [['id', 10, 1]])], ['books(author_id) -> authors(id)']],
    ['a column exposed twice gives one relationship each', [view(30, 'twice', [['a', 10, 2], ['b', 10, 2]])], ['books(author_id) -> authors(id)', 'twice(a) -> authors(id)', 'twice(b) -> authors(id)']],
    [
      'traced through a view of a view',
      [view(31, 'names', [['author_key', 20, 1]]), view(32, 'names_again', [['k2', 31, 1]])],
      ['books(author_id) -> authors(id)', 'books(author_id) -> names(author_key)', 'books(author_id) -> names_again(k2)'],
    ],
  ];
  for (const [name, views, expected] of cases) it(name, () => assert.deepEqual(summary(buildRelationships([fk], views)), expected));

  it('a composite key needs every column, combined in key order', () => {
    const composite: ForeignKey = { ...fk, constraint: 'c', keys: [2, 3], columns: ['a', 'b'], referencedKeys: [1, 2], referencedColumns: ['x', 'y'] };
    const views = [view(30, 'v', [['vb', 10, 3], ['va', 10, 2], ['va2', 10, 2]])];
    assert.deepEqual(summary(buildRelationships([composite], views)), ['books(a,b) -> authors(x,y)', 'v(va,vb) -> authors(x,y)', 'v(va2,vb) -> authors(x,y)']);
  });

  it('keeps what the key says about one-to-one on every projection', () => {
    const rs = buildRelationships([{ ...fk, oneToOne: true }], [view(30, 'bv', [['a', 10, 2]])]);
    assert.deepEqual(
      rs.map((r) => r.oneToOne),
      [true, true],
    );
  });
});
