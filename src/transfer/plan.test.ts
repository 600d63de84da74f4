import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Catalog, ColumnInfo, RelationInfo } from './catalog-types.ts';
import { planDump, targetChecks } from './plan.ts';

const column = (name: string, type: string, more: Partial<ColumnInfo> = {}): ColumnInfo => ({
  name, type, notNull: false, default: null, identity: '', generated: '', generatedExpr: null, collation: null, comment: null, acl: [], ...more,
});
const relation = (schema: string, name: string, columns: ColumnInfo[], more: Partial<RelationInfo> = {}): RelationInfo => ({
  key: `rel:${name}`, schema, name, kind: 'table', unlogged: false, columns, options: [], rls: false, forceRls: false,
  replicaIdentity: 'd', replicaIndex: null, query: null, populated: true, acl: [], owner: 'postgres', comment: null, ...more,
});

const catalog: Catalog = {
  admin: 'postgres',
  serverVersion: '18.6',
  bootstrapVersion: 8,
  schemas: [
    { name: 'public', owner: 'pg_database_owner', comment: null, acl: [] },
    { name: 'supabase_migrations', owner: 'postgres', comment: null, acl: [] },
  ],
  extensions: [{ name: 'pgcrypto', schema: 'extensions' }, { name: 'pg_trgm', schema: 'extensions' }],
  types: [],
  sequences: [],
  relations: [
    relation('public', 'posts', [column('id', 'uuid', { notNull: true, default: 'gen_random_uuid()' }), column('n', 'integer', { generated: 's', generatedExpr: 'public.twice(1)' })], {
      rls: true, comment: 'Posts', owner: 'supabase_auth_admin',
    }),
    relation('public', 'latest', [column('id', 'uuid')], { key: 'rel:latest', kind: 'view', query: ' SELECT id FROM public.posts;' }),
    relation('supabase_migrations', 'schema_migrations', [column('version', 'text', { notNull: true })]),
  ],
  functions: [
    { key: 'fn:twice', schema: 'public', name: 'twice', args: 'x integer', procedure: false, definition: 'CREATE OR REPLACE FUNCTION public.twice(x integer) ...\n', acl: [], owner: 'postgres', comment: null },
  ],
  constraints: [
    { schema: 'public', table: 'posts', name: 'posts_pkey', type: 'p', definition: 'PRIMARY KEY (id)', comment: null },
    { schema: 'supabase_migrations', table: 'schema_migrations', name: 'schema_migrations_pkey', type: 'p', definition: 'PRIMARY KEY (version)', comment: null },
    { schema: 'public', table: 'posts', name: 'posts_id_fkey', type: 'f', definition: 'FOREIGN KEY (id) REFERENCES auth.users(id)', comment: null },
  ],
  indexes: [],
  triggers: [{ schema: 'auth', table: 'users', name: 'on_signup', definition: 'CREATE TRIGGER on_signup AFTER INSERT ON auth.users ...', enabled: 'O', comment: null }],
  policies: [],
  publications: [],
  defaultAcls: [],
  dependencies: [
    { from: 'rel:posts', to: 'fn:twice' },
    { from: 'rel:latest', to: 'rel:posts' },
  ],
  data: [{ schema: 'auth', table: 'users', columns: ['id'], types: ['uuid'], auth: true, rows: 1 }],
  sequenceValues: [{ schema: 'auth', name: 'refresh_tokens_id_seq', value: '7', called: true }],
  unsupported: [],
  roles: ['supabase_auth_admin'],
};

describe('planDump', () => {
  const plan = planDump(catalog);

  it('makes schemas, extensions the bootstrap does not, then objects in dependency order (a function as soon as a table needs it), then defaults', () => {
    assert.deepEqual(
      plan.before.map((s) => s.split('\n')[0]),
      [
        'create schema if not exists "public";',
        'create schema if not exists "supabase_migrations";',
        'create extension if not exists "pg_trgm" with schema "extensions";',
        'create table if not exists "supabase_migrations"."schema_migrations" (',
        'CREATE OR REPLACE FUNCTION public.twice(x integer) ...;',
        'create table "public"."posts" (',
        'create view "public"."latest" as',
        'alter table "public"."posts" alter column "id" set default gen_random_uuid();',
      ],
    );
  });

  it('moves the rows it was given, in their order', () => assert.deepEqual(plan.data, catalog.data));

  it('follows the rows with positions, constraints (foreign keys last), triggers, security, owners, privileges and comments', () => {
    const after = plan.after;
    assert.equal(after[0], 'select pg_catalog.setval(\'"auth"."refresh_tokens_id_seq"\', 7, true);');
    assert.deepEqual(after.slice(1, 3), ['alter table "public"."posts" add constraint "posts_pkey" PRIMARY KEY (id);', 'alter table "public"."posts" add constraint "posts_id_fkey" FOREIGN KEY (id) REFERENCES auth.users(id);']);
    assert.ok(!after.some((s) => s.includes('schema_migrations_pkey')), 'the history table keeps its key inline');
    const at = (prefix: string) => after.findIndex((s) => s.startsWith(prefix));
    assert.ok(at('CREATE TRIGGER on_signup') > at('alter table "public"."posts" add constraint'));
    assert.ok(at('alter table "public"."posts" enable row level security;') > at('CREATE TRIGGER'));
    assert.ok(at('alter table "public"."posts" owner to "supabase_auth_admin";') > at('alter table "public"."posts" enable'));
    assert.ok(!after.some((s) => s.startsWith('alter schema "public" owner')), "public keeps the target's owner");
    assert.ok(at('revoke all on table "public"."posts"') > at('alter table "public"."posts" owner'));
    assert.equal(after.at(-1), 'comment on table "public"."posts" is \'Posts\';');
  });

  it('starts with the settings a load needs and the checks of the target', () => {
    assert.ok(plan.header.includes("select pg_catalog.set_config('search_path', '', false);"));
    assert.ok(plan.header.includes('set check_function_bodies = false;'));
    assert.deepEqual(plan.header.slice(-2), targetChecks(8, ['supabase_auth_admin']));
  });
});

describe('targetChecks', () => {
  it('asks for a Groundwork bootstrap at least as new as the source, and for the roles', () => {
    const [bootstrap, roles] = targetChecks(8, ['anon', "o'brien"]);
    assert.match(bootstrap ?? '', /\(select coalesce\(max\(version\), 0\) from _groundwork\.bootstrap\) < 8 then/);
    assert.match(roles ?? '', /unnest\(array\['anon', 'o''brien'\]::text\[\]\)/);
    assert.equal(targetChecks(8, []).length, 1);
  });
});
