import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AclEntry } from './catalog-types.ts';
import { columnGrants, defaultPrivileges, objectGrants } from './privileges.ts';

const TABLE_ALL = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER', 'MAINTAIN'];
const acl = (grantee: string, privileges: readonly string[], grantable = false): AclEntry[] => privileges.map((privilege) => ({ grantee, privilege, grantable }));
const REVOKE = 'revoke all on table "public"."t" from public, "anon", "authenticated", "service_role";';

describe('objectGrants', () => {
  it("revokes the target's defaults, then grants what the source had; the owner's own rights come with ownership", () => {
    assert.deepEqual(objectGrants('table', 'table "public"."t"', [...acl('postgres', TABLE_ALL), ...acl('anon', ['SELECT'])], 'postgres'), [
      REVOKE,
      'grant select on table "public"."t" to "anon";',
    ]);
  });

  it('writes every privilege as all, and leaves out MAINTAIN, which PostgreSQL 15 refuses', () => {
    assert.deepEqual(objectGrants('table', 'table "public"."t"', [...acl('authenticated', TABLE_ALL), ...acl('service_role', ['SELECT', 'MAINTAIN'])], 'postgres'), [
      REVOKE,
      'grant all on table "public"."t" to "authenticated";',
      'grant select on table "public"."t" to "service_role";',
    ]);
  });

  it('grants PUBLIC as public, and with grant option apart', () => {
    assert.deepEqual(objectGrants('function', 'function "public"."f"(integer)', [...acl('', ['EXECUTE']), ...acl('Ops Team', ['EXECUTE'], true)], 'postgres'), [
      'revoke all on function "public"."f"(integer) from public, "anon", "authenticated", "service_role";',
      'grant all on function "public"."f"(integer) to public;',
      'grant all on function "public"."f"(integer) to "Ops Team" with grant option;',
    ]);
  });

  it('leaves an object nobody else may use with the revoke alone', () => {
    assert.deepEqual(objectGrants('sequence', 'sequence "s"."q"', acl('postgres', ['USAGE', 'SELECT', 'UPDATE']), 'postgres'), [
      'revoke all on sequence "s"."q" from public, "anon", "authenticated", "service_role";',
    ]);
  });
});

describe('columnGrants', () => {
  it('grants per column, quoted', () => {
    assert.deepEqual(columnGrants('"public"."profiles"', 'Handle', [...acl('anon', ['SELECT']), ...acl('authenticated', ['SELECT', 'INSERT', 'UPDATE', 'REFERENCES'])]), [
      'grant select ("Handle") on table "public"."profiles" to "anon";',
      'grant all ("Handle") on table "public"."profiles" to "authenticated";',
    ]);
  });
});

describe('defaultPrivileges', () => {
  const FROM = 'from public, "anon", "authenticated", "service_role";';
  it("restates each entry for whoever loads the dump; another role's entries keep their role", () => {
    assert.deepEqual(
      defaultPrivileges(
        [
          { role: 'postgres', schema: 'private', kind: 'r', acl: acl('authenticated', ['SELECT']) },
          { role: 'postgres', schema: 'public', kind: 'r', acl: acl('anon', TABLE_ALL) },
          { role: 'postgres', schema: 'public', kind: 'f', acl: acl('anon', ['EXECUTE']) },
          { role: 'postgres', schema: 'public', kind: 'S', acl: acl('anon', ['USAGE', 'SELECT', 'UPDATE']) },
          { role: 'migrator', schema: null, kind: 'f', acl: acl('migrator', ['EXECUTE']) },
        ],
        'postgres',
        ['private', 'public'],
      ),
      [
        `alter default privileges in schema "private" revoke all on tables ${FROM}`,
        'alter default privileges in schema "private" grant select on tables to "authenticated";',
        `alter default privileges in schema "public" revoke all on tables ${FROM}`,
        'alter default privileges in schema "public" grant all on tables to "anon";',
        `alter default privileges in schema "public" revoke all on functions ${FROM}`,
        'alter default privileges in schema "public" grant all on functions to "anon";',
        `alter default privileges in schema "public" revoke all on sequences ${FROM}`,
        'alter default privileges in schema "public" grant all on sequences to "anon";',
        `alter default privileges for role "migrator" revoke all on functions ${FROM}`,
      ],
    );
  });

  it("revokes the bootstrap's defaults in public that the source no longer has", () => {
    assert.deepEqual(defaultPrivileges([{ role: 'postgres', schema: 'public', kind: 'r', acl: acl('anon', ['SELECT']) }], 'postgres', ['public']), [
      `alter default privileges in schema "public" revoke all on tables ${FROM}`,
      'alter default privileges in schema "public" grant select on tables to "anon";',
      `alter default privileges in schema "public" revoke all on functions ${FROM}`,
      `alter default privileges in schema "public" revoke all on sequences ${FROM}`,
    ]);
  });
});
