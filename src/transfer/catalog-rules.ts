// Reads what a dump adds once the rows are in: constraints, indexes, triggers, policies,
// publications, default privileges; the dependencies that order object creation; and the
// objects a dump does not carry. `schemas` are the project's schema oids; `withAuth` adds
// Auth's schema, where the project's triggers and policies on Auth's tables live.
import { sql } from '../lib/sql.ts';
import type { Queryable } from '../db/port.ts';
import { inSchemas, notInExtension, rowsOf } from './catalog-sql.ts';
import { CAPTURE_TRIGGER } from './scope.ts';
import type { ConstraintInfo, DefaultAclInfo, Dependency, IndexInfo, PolicyInfo, PublicationInfo, TriggerInfo, Unsupported } from './catalog-types.ts';

export async function readConstraints(tx: Queryable, schemas: readonly string[]): Promise<ConstraintInfo[]> {
  const rows = await rowsOf<ConstraintInfo>(tx, sql`
    select n.nspname as schema, c.relname as table, k.conname as name, k.contype as type,
      pg_get_constraintdef(k.oid) as definition, obj_description(k.oid, 'pg_constraint') as comment
    from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
    where k.contype in ('p', 'u', 'c', 'f', 'x') and k.conislocal and ${inSchemas('n.oid', schemas)}
    order by case k.contype when 'f' then 1 else 0 end, n.nspname, c.relname, k.conname`);
  return rows;
}

export async function readIndexes(tx: Queryable, schemas: readonly string[]): Promise<IndexInfo[]> {
  const rows = await rowsOf<IndexInfo>(tx, sql`
    select n.nspname as schema, c.relname as table, i.relname as name, pg_get_indexdef(x.indexrelid) as definition,
      obj_description(i.oid, 'pg_class') as comment
    from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class c on c.oid = x.indrelid
    join pg_namespace n on n.oid = c.relnamespace
    where ${inSchemas('n.oid', schemas)} and ${notInExtension('pg_class', 'i.oid')}
      and not exists (select from pg_constraint k where k.conindid = x.indexrelid and k.conrelid = x.indrelid and k.contype in ('p', 'u', 'x'))
    order by n.nspname, c.relname, i.relname`);
  return rows;
}

export async function readTriggers(tx: Queryable, schemas: readonly string[]): Promise<TriggerInfo[]> {
  const rows = await rowsOf<TriggerInfo>(tx, sql`
    select n.nspname as schema, c.relname as table, t.tgname as name, pg_get_triggerdef(t.oid) as definition,
      t.tgenabled as enabled, obj_description(t.oid, 'pg_trigger') as comment
    from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
    where not t.tgisinternal and t.tgname <> ${CAPTURE_TRIGGER} and ${inSchemas('n.oid', schemas)}
    order by n.nspname, c.relname, t.tgname`);
  return rows;
}

export async function readPolicies(tx: Queryable, schemas: readonly string[]): Promise<PolicyInfo[]> {
  const rows = await rowsOf<PolicyInfo>(tx, sql`
    select n.nspname as schema, c.relname as table, p.polname as name, p.polpermissive as permissive, p.polcmd as command,
      (select jsonb_agg(g order by g) from (select case when r = 0 then 'public' else pg_get_userbyid(r)::text end as g from unnest(p.polroles) r) s) as roles,
      pg_get_expr(p.polqual, p.polrelid) as using, pg_get_expr(p.polwithcheck, p.polrelid) as check
    from pg_policy p join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace
    where ${inSchemas('n.oid', schemas)}
    order by n.nspname, c.relname, p.polname`);
  return rows;
}

export async function readPublications(tx: Queryable, schemas: readonly string[]): Promise<PublicationInfo[]> {
  const rows = await rowsOf<PublicationInfo>(tx, sql`
    select p.pubname as name, p.puballtables as "allTables",
      to_jsonb(array_remove(array[case when p.pubinsert then 'insert' end, case when p.pubupdate then 'update' end,
        case when p.pubdelete then 'delete' end, case when p.pubtruncate then 'truncate' end], null)) as publish,
      coalesce((select jsonb_agg(jsonb_build_object('schema', n.nspname, 'table', c.relname) order by n.nspname, c.relname)
        from pg_publication_rel r join pg_class c on c.oid = r.prrelid join pg_namespace n on n.oid = c.relnamespace
        where r.prpubid = p.oid and ${inSchemas('n.oid', schemas)}), '[]'::jsonb) as tables
    from pg_publication p
    order by p.pubname`);
  return rows;
}

export async function readDefaultAcls(tx: Queryable, schemas: readonly string[]): Promise<DefaultAclInfo[]> {
  const rows = await rowsOf<DefaultAclInfo>(tx, sql`
    select pg_get_userbyid(d.defaclrole)::text as role, n.nspname as schema, d.defaclobjtype as kind,
      (select coalesce(jsonb_agg(jsonb_build_object(
          'grantee', case when a.grantee = 0 then '' else pg_get_userbyid(a.grantee)::text end,
          'privilege', a.privilege_type, 'grantable', a.is_grantable) order by a.grantee, a.privilege_type), '[]'::jsonb)
        from aclexplode(d.defaclacl) a) as acl
    from pg_default_acl d left join pg_namespace n on n.oid = d.defaclnamespace
    where d.defaclnamespace = 0 or ${inSchemas('n.oid', schemas)}
    order by 1, 2 nulls first, 3`);
  return rows;
}

/**
 * Which object needs which, from pg_depend, as node keys (catalog-types.ts NodeKey). A view
 * depends through its rewrite rule; a generated column through its default expression; a
 * domain through its checks. Plain defaults are left out: they are set once every
 * function exists. Edges to objects outside the dump are dropped by the caller.
 */
export async function readDependencies(tx: Queryable): Promise<Dependency[]> {
  const { rows } = await tx.query<{ from: string | null; to: string | null }>(sql`
    with keyed_type as (
      select t.oid, case when t.typrelid = 0 then 'type:' || t.oid
        when (select c.relkind from pg_class c where c.oid = t.typrelid) = 'c' then 'type:' || t.oid
        else 'rel:' || t.typrelid end as key
      from pg_type t where t.oid >= 16384
    )
    select distinct
      case d.classid
        when 'pg_class'::regclass then (select case when c.relkind = 'c' then 'type:' || c.reltype else 'rel:' || c.oid end from pg_class c where c.oid = d.objid)
        when 'pg_proc'::regclass then 'fn:' || d.objid
        when 'pg_type'::regclass then (select k.key from keyed_type k where k.oid = d.objid)
        when 'pg_rewrite'::regclass then (select 'rel:' || r.ev_class from pg_rewrite r where r.oid = d.objid)
        when 'pg_attrdef'::regclass then (select 'rel:' || ad.adrelid from pg_attrdef ad
          join pg_attribute a on a.attrelid = ad.adrelid and a.attnum = ad.adnum where ad.oid = d.objid and a.attgenerated <> '')
        when 'pg_constraint'::regclass then (select 'type:' || k.contypid from pg_constraint k where k.oid = d.objid and k.contypid <> 0)
      end as from,
      case d.refclassid
        when 'pg_class'::regclass then (select case when c.relkind = 'c' then 'type:' || c.reltype else 'rel:' || c.oid end from pg_class c where c.oid = d.refobjid)
        when 'pg_proc'::regclass then 'fn:' || d.refobjid
        when 'pg_type'::regclass then (select coalesce(
            case when t.typcategory = 'A' and t.typelem <> 0 then (select k.key from keyed_type k where k.oid = t.typelem) end,
            (select k.key from keyed_type k where k.oid = t.oid)) from pg_type t where t.oid = d.refobjid)
      end as to
    from pg_depend d
    where d.deptype = 'n' and d.objid >= 16384 and d.refobjid >= 16384
      and d.classid in ('pg_class'::regclass, 'pg_proc'::regclass, 'pg_type'::regclass, 'pg_rewrite'::regclass, 'pg_attrdef'::regclass, 'pg_constraint'::regclass)
      and d.refclassid in ('pg_class'::regclass, 'pg_proc'::regclass, 'pg_type'::regclass)`);
  return rows.filter((r): r is Dependency => r.from !== null && r.to !== null && r.from !== r.to);
}

/** Objects of the project that a dump does not recreate; `data` ones hold rows. */
export async function readUnsupported(tx: Queryable, schemas: readonly string[]): Promise<Unsupported[]> {
  const rows = await rowsOf<Unsupported>(tx, sql`
    select format('%s %I.%I', case c.relkind when 'p' then 'partitioned table' when 'f' then 'foreign table' else 'table' end, n.nspname, c.relname)
        || case when c.relkind = 'r' then ' (inheritance or partition)' else '' end as what, true as data
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where ${inSchemas('n.oid', schemas)} and ${notInExtension('pg_class', 'c.oid')}
        and (c.relkind in ('p', 'f') or (c.relkind = 'r' and (c.relispartition or exists (select from pg_inherits i where i.inhrelid = c.oid or i.inhparent = c.oid))))
    union all
    select format('aggregate %I.%I', n.nspname, p.proname), false
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where p.prokind = 'a' and ${inSchemas('n.oid', schemas)} and ${notInExtension('pg_proc', 'p.oid')}
    union all
    select format('%s type %I.%I', case t.typtype when 'r' then 'range' when 'm' then 'multirange' else 'base' end, n.nspname, t.typname), false
      from pg_type t join pg_namespace n on n.oid = t.typnamespace
      where t.typtype in ('b', 'r') and t.typcategory <> 'A' and ${inSchemas('n.oid', schemas)} and ${notInExtension('pg_type', 't.oid')}
    union all
    select format('rule %I on %I.%I', r.rulename, n.nspname, c.relname), false
      from pg_rewrite r join pg_class c on c.oid = r.ev_class join pg_namespace n on n.oid = c.relnamespace
      where r.rulename <> '_RETURN' and ${inSchemas('n.oid', schemas)}
    union all
    select format('operator %I.%s', n.nspname, o.oprname), false
      from pg_operator o join pg_namespace n on n.oid = o.oprnamespace
      where ${inSchemas('n.oid', schemas)} and ${notInExtension('pg_operator', 'o.oid')}
    union all
    select format('collation %I.%I', n.nspname, l.collname), false
      from pg_collation l join pg_namespace n on n.oid = l.collnamespace
      where ${inSchemas('n.oid', schemas)} and ${notInExtension('pg_collation', 'l.oid')}
    union all
    select format('text search configuration %I.%I', n.nspname, f.cfgname), false
      from pg_ts_config f join pg_namespace n on n.oid = f.cfgnamespace
      where ${inSchemas('n.oid', schemas)} and ${notInExtension('pg_ts_config', 'f.oid')}
    union all
    select format('event trigger %I', e.evtname), false
      from pg_event_trigger e
      where e.evtname not like 'groundwork\\_%' and ${notInExtension('pg_event_trigger', 'e.oid')}
    order by 1`);
  return rows;
}
