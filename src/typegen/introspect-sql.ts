// The catalog statements behind `gen types typescript`, run together in one read-only
// pipeline (introspect.ts). Each returns one row holding a JSON array, so 64-bit OIDs arrive
// as JSON numbers on both adapters. They see what the Supabase CLI's generator sees: the
// requested schemas (never PostgreSQL's `pg_*`), relations and columns the role may use,
// functions PostgREST could call, and types from every schema for name resolution.
import { sql, type Sql } from '../lib/sql.ts';

const rows = (query: Sql): Sql => sql`select coalesce(json_agg(row_to_json(x)), '[]'::json) as rows from (${query}) x`;

/** Names in types and function signatures are shown as a new session would show them. */
export const resetSearchPath: Sql = sql`set local search_path to default`;

export function schemasStatement(schemas: readonly string[]): Sql {
  return rows(sql`
    select n.nspname as name
    from pg_namespace n
    where n.nspname = any(${schemas}::text[])
      and left(n.nspname, 3) <> 'pg_'
      and (pg_has_role(n.nspowner, 'USAGE') or has_schema_privilege(n.oid, 'CREATE, USAGE'))`);
}

/** Writable view columns: auto-updatable, or the view has an INSTEAD OF INSERT/UPDATE trigger or unconditional INSTEAD rule. */
const columnUpdatable = sql`
  c.relkind in ('r', 'p')
  or c.relkind in ('v', 'f') and (
    pg_column_is_updatable(c.oid, a.attnum, false)
    or exists (select 1 from pg_trigger tg
               where tg.tgrelid = c.oid and tg.tgtype::int & 64 <> 0 and tg.tgtype::int & 20 <> 0 and not tg.tgisinternal)
    or exists (select 1 from pg_rewrite rw
               where rw.ev_class = c.oid and rw.is_instead and rw.ev_type in ('2', '3') and rw.ev_qual::text = '<>'))`;

/** Tables (with partitioned and foreign tables), views and materialized views, with their columns. */
export function relationsStatement(schemas: readonly string[]): Sql {
  return rows(sql`
    select c.oid::int8 as id, n.nspname as schema, c.relname as name, c.relkind::text as kind,
           case when c.relkind = 'v' then pg_relation_is_updatable(c.oid, true) & 8 = 8 else false end as insertable,
           case when c.relkind = 'v' then pg_relation_is_updatable(c.oid, true) & 4 = 4 else false end as updatable,
           coalesce((
             select json_agg(json_build_object(
                      'name', a.attname,
                      'type', coalesce(bt.typname, t.typname),
                      'typeSchema', coalesce(bn.nspname, tn.nspname),
                      'nullable', not (a.attnotnull or t.typtype = 'd' and t.typnotnull),
                      'identity', case a.attidentity when 'a' then 'ALWAYS' when 'd' then 'BY DEFAULT' end,
                      'generated', a.attgenerated in ('s', 'v'),
                      'hasDefault', a.atthasdef,
                      'updatable', ${columnUpdatable}))
             from pg_attribute a
             join pg_type t on t.oid = a.atttypid
             join pg_namespace tn on tn.oid = t.typnamespace
             left join pg_type bt on t.typtype = 'd' and bt.oid = t.typbasetype
             left join pg_namespace bn on bn.oid = bt.typnamespace
             where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
               and (pg_has_role(c.relowner, 'USAGE') or has_column_privilege(c.oid, a.attnum, 'SELECT, INSERT, UPDATE, REFERENCES'))
           ), '[]'::json) as columns
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = any(${schemas}::text[])
      and not pg_is_other_temp_schema(n.oid)
      and (c.relkind in ('v', 'm', 'f')
           or c.relkind in ('r', 'p')
              and (pg_has_role(c.relowner, 'USAGE')
                   or has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
                   or has_any_column_privilege(c.oid, 'SELECT, INSERT, UPDATE, REFERENCES')))`);
}

/** Column names of a key, in the key's order. */
const keyNames = (rel: Sql, keys: Sql): Sql => sql`(
  select json_agg(a.attname order by k.ord)
  from unnest(${keys}) with ordinality k(attnum, ord)
  join pg_attribute a on a.attrelid = ${rel} and a.attnum = k.attnum)`;

/**
 * Foreign keys declared in the schemas (partitions' copies left out). One-to-one when the
 * referencing columns, in the key's order, are a primary key or unique constraint's columns
 * in table order.
 */
export function foreignKeysStatement(schemas: readonly string[]): Sql {
  return rows(sql`
    select con.conname as constraint, n.nspname as schema, rel.relname as relation, con.conrelid::int8 as relation_id,
           con.conkey::int[] as keys, ${keyNames(sql`con.conrelid`, sql`con.conkey`)} as columns,
           rn.nspname as referenced_schema, ref.relname as referenced_relation, con.confrelid::int8 as referenced_id,
           con.confkey::int[] as referenced_keys, ${keyNames(sql`con.confrelid`, sql`con.confkey`)} as referenced_columns,
           exists (
             select 1 from pg_constraint u
             where u.conrelid = con.conrelid and u.connamespace = con.connamespace and u.contype in ('p', 'u')
               and (select array_agg(a.attname order by a.attnum) from pg_attribute a
                    where a.attrelid = u.conrelid and a.attnum = any(u.conkey))
                   = (select array_agg(a.attname order by k.ord)
                      from unnest(con.conkey) with ordinality k(attnum, ord)
                      join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum)
           ) as one_to_one
    from pg_constraint con
    join pg_namespace n on n.oid = con.connamespace
    join pg_class rel on rel.oid = con.conrelid
    join pg_class ref on ref.oid = con.confrelid
    join pg_namespace rn on rn.oid = ref.relnamespace
    where con.contype = 'f' and con.conparentid = 0 and n.nspname = any(${schemas}::text[])`);
}

/** Views and materialized views with their columns by number and their rules' query trees. */
export function viewQueriesStatement(schemas: readonly string[]): Sql {
  return rows(sql`
    select c.oid::int8 as id, n.nspname as schema, c.relname as name,
           coalesce((select json_agg(json_build_array(a.attnum, a.attname) order by a.attnum)
                     from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped), '[]'::json) as columns,
           coalesce((select json_agg(r.ev_action::text order by r.oid) from pg_rewrite r where r.ev_class = c.oid), '[]'::json) as queries
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('v', 'm') and n.nspname = any(${schemas}::text[])`);
}

/** Plain functions (no procedures or aggregates), trigger functions left out. */
export function functionsStatement(schemas: readonly string[]): Sql {
  return rows(sql`
    select p.oid::int8 as id, n.nspname as schema, p.proname as name,
           coalesce((
             select json_agg(json_build_object(
                      'mode', case coalesce(p.proargmodes[k.i], 'i')
                                when 'i' then 'in' when 'o' then 'out' when 'b' then 'inout' when 'v' then 'variadic' else 'table' end,
                      'name', coalesce(p.proargnames[k.i], ''),
                      'typeId', k.type_id::int8,
                      -- The last pronargdefaults of the first pronargs positions, counted over every
                      -- argument (OUT ones included), as the Supabase CLI's generator counts them.
                      'hasDefault', k.i <= p.pronargs and k.i > p.pronargs - p.pronargdefaults) order by k.i)
             from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) with ordinality k(type_id, i)
           ), '[]'::json) as args,
           pg_get_function_arguments(p.oid) as argument_types,
           pg_get_function_identity_arguments(p.oid) as identity_argument_types,
           p.prorettype::int8 as return_type_id,
           pg_get_function_result(p.oid) as return_type,
           nullif(rt.typrelid, 0)::int8 as return_relation_id,
           p.proretset as set_returning,
           case when p.proretset then nullif(p.prorows, 0)::float8 end as rows
    from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    left join pg_type rt on rt.oid = p.prorettype
    where p.prokind = 'f' and n.nspname = any(${schemas}::text[])
      and pg_get_function_result(p.oid) not in ('trigger', 'event_trigger')`);
}

/**
 * Every enum and composite type of every schema (columns name them without a schema), and
 * the types functions and composite attributes refer to by OID.
 */
export function typesStatement(schemas: readonly string[]): Sql {
  return rows(sql`
    with referenced as (
      select unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) as id
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where p.prokind = 'f' and n.nspname = any(${schemas}::text[])
      union
      select p.prorettype from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where p.prokind = 'f' and n.nspname = any(${schemas}::text[])
      union
      select a.atttypid from pg_attribute a join pg_class c on c.oid = a.attrelid
      where c.relkind = 'c' and not a.attisdropped
    )
    select t.oid::int8 as id, t.typname as name, n.nspname as schema, format_type(t.oid, null) as format,
           coalesce((select json_agg(e.enumlabel order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid), '[]'::json) as enum_values,
           case when c.relkind = 'c' then coalesce((
             select json_agg(json_build_object('name', a.attname, 'typeId', a.atttypid::int8) order by a.attnum)
             from pg_attribute a where a.attrelid = c.oid and not a.attisdropped), '[]'::json)
           else '[]'::json end as attributes,
           nullif(t.typrelid, 0)::int8 as relation_id
    from pg_type t
    join pg_namespace n on n.oid = t.typnamespace
    left join pg_class c on c.oid = t.typrelid
    where (t.typrelid = 0 or c.relkind in ('c', 'r', 'v', 'm', 'p', 'f'))
      and (t.typtype = 'e' or c.relkind = 'c' or t.oid in (select id from referenced))`);
}
