import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrapSteps } from '../bootstrap/run.ts';
import { GROUNDWORK_DEFAULT_ACLS, GROUNDWORK_EXTENSIONS, GROUNDWORK_PUBLICATION, GROUNDWORK_SCHEMAS, DEFAULT_GRANTEES, isProjectSchema } from './scope.ts';

// What a dump leaves to the target's bootstrap must be what the bootstrap makes.
const bootstrapSql = bootstrapSteps.map((s) => s.sql).join('\n');
const all = (re: RegExp) => [...bootstrapSql.matchAll(re)].map((m) => m[1] as string);

describe("the dump's scope follows the bootstrap", () => {
  it('leaves out exactly the schemas the bootstrap creates', () => {
    assert.deepEqual([...new Set(all(/create schema if not exists (\w+)/g))].sort(), [...GROUNDWORK_SCHEMAS].sort().filter((s) => s !== '_groundwork'));
    assert.ok(GROUNDWORK_SCHEMAS.includes('_groundwork')); // made by bootstrap/run.ts itself
  });

  it('leaves out the extensions it creates', () => {
    for (const name of all(/create extension if not exists "?([\w-]+)"?/g)) assert.ok(GROUNDWORK_EXTENSIONS.includes(name), name);
  });

  it('knows its default privileges and the roles they grant to', () => {
    const made = all(/alter default privileges in schema (\w+ grant all on \w+) to/g).map((m) => m.replace(' grant all on ', ':'));
    const kinds = { r: 'tables', f: 'functions', S: 'sequences' } as const;
    assert.deepEqual(made.sort(), GROUNDWORK_DEFAULT_ACLS.map(([schema, kind]) => `${schema}:${kinds[kind]}`).sort());
    assert.match(bootstrapSql, new RegExp(`grant all on tables to ${DEFAULT_GRANTEES.join(', ')};`));
  });

  it('knows its publication', () => assert.match(bootstrapSql, new RegExp(`create publication ${GROUNDWORK_PUBLICATION};`)));

  it("tells the project's schemas from Groundwork's and the system's", () => {
    for (const s of ['public', 'private', 'supabase_migrations', 'pgsodium_like']) assert.equal(isProjectSchema(s), true, s);
    for (const s of ['auth', 'extensions', 'graphql_public', '_groundwork', 'pg_catalog', 'pg_toast', 'information_schema']) assert.equal(isProjectSchema(s), false, s);
  });
});
