// SQL fragments the catalog queries share. Trusted text only: column expressions of the
// system catalogs, never input.
import { raw, sql, type Sql } from '../lib/sql.ts';
import type { Queryable } from '../db/port.ts';

/**
 * An ACL as a JSON array of {grantee, privilege, grantable}; a null ACL means the kind's
 * default (acldefault), which is what the object grants. Grantee '' is PUBLIC.
 */
export function aclJson(acl: string, kind: string, owner: string): Sql {
  return raw(`(select coalesce(jsonb_agg(jsonb_build_object(
      'grantee', case when a.grantee = 0 then '' else pg_get_userbyid(a.grantee)::text end,
      'privilege', a.privilege_type, 'grantable', a.is_grantable) order by a.grantee, a.privilege_type), '[]'::jsonb)
    from aclexplode(coalesce(${acl}, acldefault('${kind}', ${owner}))) a)`);
}

/** A column ACL: only what was granted on the column itself (null ACL: nothing). */
export function columnAclJson(acl: string): Sql {
  return raw(`case when ${acl} is null then '[]'::jsonb else (select jsonb_agg(jsonb_build_object(
      'grantee', case when a.grantee = 0 then '' else pg_get_userbyid(a.grantee)::text end,
      'privilege', a.privilege_type, 'grantable', a.is_grantable) order by a.grantee, a.privilege_type)
    from aclexplode(${acl}) a) end`);
}

/** `<namespace oid column> in (<the given oids>)`; oids travel as one JSON parameter. */
export function inSchemas(column: string, oids: readonly string[]): Sql {
  return sql`${raw(column)} in (select jsonb_array_elements_text(${JSON.stringify(oids)}::jsonb)::oid)`;
}

/** The object is not a member of an extension (its extension makes it on the target). */
export function notInExtension(catalog: string, oid: string): Sql {
  return raw(`not exists (select from pg_depend ext_dep where ext_dep.classid = '${catalog}'::regclass and ext_dep.objid = ${oid} and ext_dep.deptype = 'e')`);
}

/** A collation name when it differs from the type's own, else null. */
export function collationOf(collation: string, typeCollation: string): Sql {
  return raw(`case when ${collation} <> 0 and ${collation} <> ${typeCollation} then ${collation}::regcollation::text end`);
}

/** The rows of a catalog query whose select list is written for `T` (interfaces lack the index signature `Row` has). */
export async function rowsOf<T extends object>(tx: Queryable, q: Sql): Promise<T[]> {
  const { rows } = await tx.query(q);
  return rows as unknown as T[];
}
