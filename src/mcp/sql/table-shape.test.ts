import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { CatalogTable } from './list-tables.ts';
import { rlsAdvisory, shapeTable } from './table-shape.ts';

const col = { data_type: 'bigint', format: 'int8', is_identity: false, identity_generation: null, is_generated: false, is_nullable: false, is_updatable: true, is_unique: false, default_value: null, enums: [], check: null, comment: null };
const posts: CatalogTable = {
  schema: 'public',
  name: 'posts',
  rls_enabled: true,
  rows: 3,
  comment: null,
  columns: [
    { ...col, name: 'id', is_identity: true, identity_generation: 'ALWAYS', is_unique: true },
    { ...col, name: 'status', data_type: 'USER-DEFINED', format: 'post_status', enums: ['draft', 'live'], is_nullable: true, default_value: "'draft'::post_status" },
  ],
  primary_keys: ['id'],
  foreign_keys: [],
};

it('answers compactly unless verbose, leaving out empty and null fields', () => {
  const cases: Array<[CatalogTable, boolean, unknown]> = [
    [posts, false, { name: 'public.posts', rls_enabled: true, rows: 3 }],
    [{ ...posts, comment: 'Blog posts' }, false, { name: 'public.posts', rls_enabled: true, rows: 3, comment: 'Blog posts' }],
    [
      posts,
      true,
      {
        name: 'public.posts',
        rls_enabled: true,
        rows: 3,
        columns: [
          { name: 'id', data_type: 'bigint', format: 'int8', options: ['identity', 'updatable', 'unique'], identity_generation: 'ALWAYS' },
          { name: 'status', data_type: 'USER-DEFINED', format: 'post_status', options: ['nullable', 'updatable'], default_value: "'draft'::post_status", enums: ['draft', 'live'] },
        ],
        primary_keys: ['id'],
      },
    ],
    [
      { ...posts, columns: [], foreign_keys: [{ name: 'posts_author_fkey', source: 'public.posts.author', target: 'public.profiles.id' }] },
      true,
      { name: 'public.posts', rls_enabled: true, rows: 3, columns: [], primary_keys: ['id'], foreign_key_constraints: [{ name: 'posts_author_fkey', source: 'public.posts.author', target: 'public.profiles.id' }] },
    ],
  ];
  for (const [table, verbose, expected] of cases) assert.deepEqual(shapeTable(table, verbose), expected);
});

it('advises enabling RLS only for tables outside the platform schemas', () => {
  assert.equal(rlsAdvisory([posts]), undefined);
  assert.equal(rlsAdvisory([{ ...posts, schema: 'auth', name: 'users', rls_enabled: false }]), undefined);
  const advisory = rlsAdvisory([{ ...posts, rls_enabled: false }, { ...posts, name: 'Odd Name', rls_enabled: false }]);
  assert.equal(advisory?.id, 'rls_disabled');
  assert.equal(advisory?.remediation_sql, 'ALTER TABLE public.posts ENABLE ROW LEVEL SECURITY;\nALTER TABLE public."Odd Name" ENABLE ROW LEVEL SECURITY;');
  assert.match(advisory?.message ?? '', /public\.posts, public\.Odd Name have row level security disabled/);
});
