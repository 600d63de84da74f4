import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ColumnInfo, RelationInfo, SequenceInfo, TypeInfo } from './catalog-types.ts';
import { columnDefaults, createTable, createType, createView, sequenceOwnership, setSequenceValue } from './ddl-objects.ts';
import { createPolicy, createTrigger, publication, replicaIdentity } from './ddl-rules.ts';

const column = (name: string, type: string, more: Partial<ColumnInfo> = {}): ColumnInfo => ({
  name, type, notNull: false, default: null, identity: '', generated: '', generatedExpr: null, collation: null, comment: null, acl: [], ...more,
});
const relation = (name: string, columns: ColumnInfo[], more: Partial<RelationInfo> = {}): RelationInfo => ({
  key: `rel:${name}`, schema: 'public', name, kind: 'table', unlogged: false, columns, options: [], rls: false, forceRls: false,
  replicaIdentity: 'd', replicaIndex: null, query: null, populated: true, acl: [], owner: 'postgres', comment: null, ...more,
});
const options = { type: 'bigint', start: '1', increment: '1', min: '1', max: '9223372036854775807', cache: '1', cycle: false };
const sequence = (name: string, ownedBy: SequenceInfo['ownedBy']): SequenceInfo => ({ key: `rel:${name}`, schema: 'public', name, options, ownedBy, acl: [], owner: 'postgres', comment: null });
const type = (more: Partial<TypeInfo>): TypeInfo => ({
  key: 'type:1', schema: 'public', name: 't', kind: 'enum', labels: [], base: null, notNull: false, default: null, collation: null, checks: [], attributes: [], owner: 'postgres', comment: null, ...more,
});

describe('createTable', () => {
  const notes = relation('notes', [
    column('id', 'bigint', { notNull: true, identity: 'a' }),
    column('Body', 'text', { notNull: true, default: "''::text", collation: '"C"' }),
    column('doubled', 'integer', { generated: 'v', generatedExpr: 'public.double_it(x)' }),
  ]);

  it('makes columns with identity and generation but without defaults, a virtual column stored', () => {
    assert.equal(
      createTable(notes, [sequence('notes_id_seq', { table: 'notes', column: 'id', identity: true })]),
      'create table "public"."notes" (\n' +
        '  "id" bigint generated always as identity (sequence name "public"."notes_id_seq" increment by 1 minvalue 1 maxvalue 9223372036854775807 start with 1 cache 1 no cycle) not null,\n' +
        '  "Body" text collate "C" not null,\n' +
        '  "doubled" integer generated always as (public.double_it(x)) stored\n);',
    );
  });

  it('keeps unlogged tables, storage options and tables without columns', () => {
    assert.equal(createTable(relation('cache', [], { unlogged: true, options: ['fillfactor=70'] }), []), 'create unlogged table "public"."cache" () with (fillfactor=70);');
  });

  it('makes the migration history only if missing, whole', () => {
    const history = relation('schema_migrations', [column('version', 'text', { notNull: true }), column('name', 'text', { default: "'x'::text" })], { schema: 'supabase_migrations' });
    const pk = { schema: 'supabase_migrations', table: 'schema_migrations', name: 'schema_migrations_pkey', type: 'p' as const, definition: 'PRIMARY KEY (version)', comment: null };
    assert.equal(
      createTable(history, [], { constraints: [pk] }),
      'create table if not exists "supabase_migrations"."schema_migrations" (\n  "version" text not null,\n  "name" text default \'x\'::text,\n  constraint "schema_migrations_pkey" PRIMARY KEY (version)\n);',
    );
  });

  it('sets plain defaults afterwards, not identity or generated ones', () => {
    const t = relation('t', [column('a', 'integer', { default: "nextval('public.s'::regclass)" }), column('b', 'integer', { identity: 'd' }), column('c', 'integer', { generated: 's', generatedExpr: 'a' })]);
    assert.deepEqual(columnDefaults(t), ['alter table "public"."t" alter column "a" set default nextval(\'public.s\'::regclass);']);
  });
});

describe('types, views, sequences', () => {
  it('makes enums, domains and composite types', () => {
    assert.equal(createType(type({ labels: ['happy', "it's"] })), 'create type "public"."t" as enum (\'happy\', \'it\'\'s\');');
    assert.equal(
      createType(type({ kind: 'domain', base: 'text', collation: '"C"', default: "'x'::text", notNull: true, checks: [{ name: 'has_at', definition: "CHECK ((VALUE ~ '@'::text))" }] })),
      'create domain "public"."t" as text collate "C" default \'x\'::text not null constraint "has_at" CHECK ((VALUE ~ \'@\'::text));',
    );
    assert.equal(createType(type({ kind: 'composite', attributes: [{ name: 'zip', type: 'integer', collation: null }, { name: 'City', type: 'text', collation: null }] })), 'create type "public"."t" as ("zip" integer, "City" text);');
  });

  it("makes views with their options, and materialized views empty (they are refreshed after the rows)", () => {
    assert.equal(createView(relation('v', [], { kind: 'view', options: ['security_invoker=true'], query: ' SELECT 1;' })), 'create view "public"."v" with (security_invoker=true) as\nSELECT 1;');
    assert.equal(createView(relation('m', [], { kind: 'matview', query: ' SELECT 1;' })), 'create materialized view "public"."m" as\nSELECT 1\nwith no data;');
  });

  it("ties a serial's sequence to its column; identity sequences come with their table", () => {
    assert.equal(sequenceOwnership(sequence('t_id_seq', { table: 't', column: 'id', identity: false })), 'alter sequence "public"."t_id_seq" owned by "public"."t"."id";');
    assert.equal(sequenceOwnership(sequence('t_id_seq', { table: 't', column: 'id', identity: true })), undefined);
  });

  it('sets positions of sequences, refusing anything but an integer', () => {
    assert.equal(setSequenceValue('auth', 'refresh_tokens_id_seq', '42', true), 'select pg_catalog.setval(\'"auth"."refresh_tokens_id_seq"\', 42, true);');
    assert.throws(() => setSequenceValue('public', 's', '1); drop table x; --', true), /not an integer/);
  });
});

describe('rules after the rows', () => {
  it('writes policies with their command, roles and expressions', () => {
    const p = { schema: 'public', table: 'notes', name: 'owner only', permissive: false, command: '*' as const, roles: ['authenticated', 'public'], using: '(owner = auth.uid())', check: null };
    assert.equal(createPolicy(p), 'create policy "owner only" on "public"."notes" as restrictive for all to "authenticated", public using ((owner = auth.uid()));');
    assert.equal(createPolicy({ ...p, permissive: true, command: 'a', roles: ['public'], using: null, check: 'true' }), 'create policy "owner only" on "public"."notes" as permissive for insert to public with check (true);');
  });

  it('keeps a disabled trigger disabled', () => {
    const t = { schema: 'public', table: 'events', name: 'touch', definition: 'CREATE TRIGGER touch BEFORE UPDATE ON public.events FOR EACH ROW EXECUTE FUNCTION private.touch()', enabled: 'D' as const, comment: null };
    assert.deepEqual(createTrigger(t), [`${t.definition};`, 'alter table "public"."events" disable trigger "touch";']);
    assert.deepEqual(createTrigger({ ...t, enabled: 'O' }), [`${t.definition};`]);
  });

  it('sets replica identity on tables only', () => {
    assert.equal(replicaIdentity(relation('e', [], { replicaIdentity: 'f' })), 'alter table "public"."e" replica identity full;');
    assert.equal(replicaIdentity(relation('e', [], { replicaIdentity: 'i', replicaIndex: 'e_key' })), 'alter table "public"."e" replica identity using index "e_key";');
    assert.equal(replicaIdentity(relation('v', [], { kind: 'view', replicaIdentity: 'n' })), undefined);
    assert.equal(replicaIdentity(relation('e', [])), undefined);
  });

  it("adds tables to the bootstrap's publication, and creates the project's own", () => {
    const tables = [{ schema: 'public', table: 'events' }];
    assert.deepEqual(publication({ name: 'supabase_realtime', allTables: false, publish: ['insert', 'update', 'delete', 'truncate'], tables }), ['alter publication "supabase_realtime" add table "public"."events";']);
    assert.deepEqual(publication({ name: 'supabase_realtime', allTables: false, publish: [], tables: [] }), []);
    assert.deepEqual(publication({ name: 'feed', allTables: false, publish: ['insert'], tables }), [
      'create publication "feed" with (publish = \'insert\');',
      'alter publication "feed" add table "public"."events";',
    ]);
    assert.deepEqual(publication({ name: 'all', allTables: true, publish: ['insert', 'update'], tables }), ['create publication "all" for all tables with (publish = \'insert, update\');']);
  });
});
