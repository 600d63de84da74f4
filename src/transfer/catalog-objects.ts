// Reads the project's creatable objects from the source's catalog: schemas, extensions,
// types, sequences, tables and views (with their columns), functions. Each query keeps
// extension members out: the extension makes them on the target.
import { sql } from '../lib/sql.ts';
import type { Queryable } from '../db/port.ts';
import { aclJson, collationOf, columnAclJson, inSchemas, notInExtension, rowsOf } from './catalog-sql.ts';
import type { ExtensionInfo, FunctionInfo, RelationInfo, SchemaInfo, SequenceInfo, TypeInfo } from './catalog-types.ts';

export interface SchemaRow extends SchemaInfo {
  readonly oid: string;
}

export async function readSchemas(tx: Queryable): Promise<SchemaRow[]> {
  const rows = await rowsOf<SchemaRow>(tx, sql`
    select n.oid::text as oid, n.nspname as name, pg_get_userbyid(n.nspowner)::text as owner,
      obj_description(n.oid, 'pg_namespace') as comment, ${aclJson('n.nspacl', 'n', 'n.nspowner')} as acl
    from pg_namespace n
    where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
      and ${notInExtension('pg_namespace', 'n.oid')}
    order by n.nspname`);
  return rows;
}

export async function readExtensions(tx: Queryable): Promise<ExtensionInfo[]> {
  const rows = await rowsOf<ExtensionInfo>(tx, sql`
    select e.extname as name, n.nspname as schema
    from pg_extension e join pg_namespace n on n.oid = e.extnamespace
    order by e.extname`);
  return rows;
}

export async function readTypes(tx: Queryable, schemas: readonly string[]): Promise<TypeInfo[]> {
  const rows = await rowsOf<TypeInfo>(tx, sql`
    select 'type:' || t.oid as key, n.nspname as schema, t.typname as name,
      case t.typtype when 'e' then 'enum' when 'd' then 'domain' else 'composite' end as kind,
      pg_get_userbyid(t.typowner)::text as owner, obj_description(t.oid, 'pg_type') as comment,
      coalesce((select jsonb_agg(e.enumlabel order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid), '[]'::jsonb) as labels,
      case when t.typtype = 'd' then format_type(t.typbasetype, t.typtypmod) end as base,
      t.typnotnull as "notNull",
      case when t.typtype = 'd' then pg_get_expr(t.typdefaultbin, 0) end as default,
      ${collationOf('t.typcollation', '(select b.typcollation from pg_type b where b.oid = t.typbasetype)')} as collation,
      coalesce((select jsonb_agg(jsonb_build_object('name', k.conname, 'definition', pg_get_constraintdef(k.oid)) order by k.conname)
        from pg_constraint k where k.contypid = t.oid and k.contype = 'c'), '[]'::jsonb) as checks,
      coalesce((select jsonb_agg(jsonb_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod),
          'collation', ${collationOf('a.attcollation', 'at.typcollation')}) order by a.attnum)
        from pg_attribute a join pg_type at on at.oid = a.atttypid
        where t.typtype = 'c' and a.attrelid = t.typrelid and a.attnum > 0 and not a.attisdropped), '[]'::jsonb) as attributes
    from pg_type t join pg_namespace n on n.oid = t.typnamespace
    where ${inSchemas('n.oid', schemas)} and ${notInExtension('pg_type', 't.oid')}
      and (t.typtype in ('e', 'd') or (t.typtype = 'c' and (select c.relkind from pg_class c where c.oid = t.typrelid) = 'c'))
    order by n.nspname, t.typname`);
  return rows;
}

export async function readSequences(tx: Queryable, schemas: readonly string[]): Promise<SequenceInfo[]> {
  const rows = await rowsOf<SequenceInfo>(tx, sql`
    select 'rel:' || c.oid as key, n.nspname as schema, c.relname as name,
      pg_get_userbyid(c.relowner)::text as owner, obj_description(c.oid, 'pg_class') as comment,
      jsonb_build_object('type', format_type(s.seqtypid, null), 'start', s.seqstart::text, 'increment', s.seqincrement::text,
        'min', s.seqmin::text, 'max', s.seqmax::text, 'cache', s.seqcache::text, 'cycle', s.seqcycle) as options,
      (select jsonb_build_object('table', tc.relname, 'column', a.attname, 'identity', d.deptype = 'i')
        from pg_depend d join pg_class tc on tc.oid = d.refobjid
        join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
        where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i')
        limit 1) as "ownedBy",
      ${aclJson('c.relacl', 's', 'c.relowner')} as acl
    from pg_class c join pg_namespace n on n.oid = c.relnamespace join pg_sequence s on s.seqrelid = c.oid
    where c.relkind = 'S' and ${inSchemas('n.oid', schemas)} and ${notInExtension('pg_class', 'c.oid')}
    order by n.nspname, c.relname`);
  return rows;
}

export async function readRelations(tx: Queryable, schemas: readonly string[]): Promise<RelationInfo[]> {
  const rows = await rowsOf<RelationInfo>(tx, sql`
    select 'rel:' || c.oid as key, n.nspname as schema, c.relname as name,
      case c.relkind when 'v' then 'view' when 'm' then 'matview' else 'table' end as kind,
      c.relpersistence = 'u' as unlogged, coalesce(to_jsonb(c.reloptions), '[]'::jsonb) as options,
      c.relrowsecurity as rls, c.relforcerowsecurity as "forceRls", c.relreplident as "replicaIdentity",
      (select i.relname from pg_index x join pg_class i on i.oid = x.indexrelid where x.indrelid = c.oid and x.indisreplident) as "replicaIndex",
      case when c.relkind in ('v', 'm') then pg_get_viewdef(c.oid) end as query, c.relispopulated as populated,
      pg_get_userbyid(c.relowner)::text as owner, obj_description(c.oid, 'pg_class') as comment,
      ${aclJson('c.relacl', 'r', 'c.relowner')} as acl,
      coalesce((select jsonb_agg(jsonb_build_object(
          'name', a.attname, 'type', format_type(a.atttypid, a.atttypmod), 'notNull', a.attnotnull,
          'default', case when a.attgenerated = '' then pg_get_expr(d.adbin, d.adrelid) end,
          'identity', a.attidentity, 'generated', a.attgenerated,
          'generatedExpr', case when a.attgenerated <> '' then pg_get_expr(d.adbin, d.adrelid) end,
          'collation', ${collationOf('a.attcollation', 'at.typcollation')},
          'comment', col_description(c.oid, a.attnum), 'acl', ${columnAclJson('a.attacl')}) order by a.attnum)
        from pg_attribute a join pg_type at on at.oid = a.atttypid
        left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
        where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped), '[]'::jsonb) as columns
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'v', 'm') and not c.relispartition and ${inSchemas('n.oid', schemas)} and ${notInExtension('pg_class', 'c.oid')}
    order by n.nspname, c.relname`);
  return rows;
}

export async function readFunctions(tx: Queryable, schemas: readonly string[]): Promise<FunctionInfo[]> {
  const rows = await rowsOf<FunctionInfo>(tx, sql`
    select 'fn:' || p.oid as key, n.nspname as schema, p.proname as name, pg_get_function_identity_arguments(p.oid) as args,
      p.prokind = 'p' as procedure, pg_get_functiondef(p.oid) as definition,
      pg_get_userbyid(p.proowner)::text as owner, obj_description(p.oid, 'pg_proc') as comment,
      ${aclJson('p.proacl', 'f', 'p.proowner')} as acl
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where p.prokind in ('f', 'p', 'w') and ${inSchemas('n.oid', schemas)} and ${notInExtension('pg_proc', 'p.oid')}
    order by n.nspname, p.proname, 4`);
  return rows;
}
