// One catalog query that returns the whole schema cache as a JSON document. It reads
// every schema except PostgreSQL's own and Groundwork's internal one, and works on
// PostgreSQL 15 and on PGlite (PostgreSQL 18).
import { sql, type Sql } from '../lib/sql.ts';

/**
 * The introspection's transaction-local settings. JIT off: the planner estimates this query
 * in the millions (a subplan per routine argument over thousands of pg_proc rows), far above
 * `jit_above_cost`, so PostgreSQL (JIT on by default) compiled it with LLVM on every load:
 * 1.5 s of the 1.55 s it took for the example app on PostgreSQL 15, 40 ms without. PGlite
 * has no JIT; the setting changes nothing there.
 */
export const introspectionSettings: ReadonlyArray<readonly [string, string]> = [['jit', 'off']];

export const introspectionQuery: Sql = sql`
with schemas as (
  select n.oid, n.nspname
  from pg_namespace n
  where n.nspname not in ('pg_catalog', 'information_schema', '_groundwork') and n.nspname not like 'pg\\_%'
),
rels as (
  select c.oid, s.nspname as schema, c.relname as name, c.relkind, c.relrowsecurity,
         obj_description(c.oid, 'pg_class') as comment,
         pg_relation_is_updatable(c.oid::regclass, true) as upd,
         (select w.ev_action::text from pg_rewrite w where w.ev_class = c.oid and w.rulename = '_RETURN') as view_action
  from pg_class c join schemas s on s.oid = c.relnamespace
  where c.relkind in ('r', 'v', 'm', 'f', 'p')
),
cols as (
  select a.attrelid,
         json_agg(json_build_object(
           'name', a.attname,
           'position', a.attnum,
           'type', format_type(a.atttypid, a.atttypmod),
           'typeOid', a.atttypid::int,
           'udtName', t.typname,
           'nullable', not a.attnotnull,
           -- Identity columns have no pg_attrdef row: their default is the sequence's nextval.
           -- Found through pg_depend, not pg_get_serial_sequence: that looks the table up by
           -- name, which fails in a schema this role may not use (pgmq's queues).
           'default', case when a.attidentity <> '' then (
                             select format('nextval(%L::regclass)', format('%I.%I', sn.nspname, sc.relname))
                             from pg_depend dep join pg_class sc on sc.oid = dep.objid join pg_namespace sn on sn.oid = sc.relnamespace
                             where dep.classid = 'pg_class'::regclass and dep.refobjid = a.attrelid and dep.refobjsubid = a.attnum
                               and dep.deptype = 'i' and sc.relkind = 'S' limit 1)
                           else pg_get_expr(d.adbin, d.adrelid) end,
           'identity', a.attidentity,
           'generated', a.attgenerated,
           'enumValues', (select json_agg(e.enumlabel order by e.enumsortorder) from pg_enum e
                          where e.enumtypid = coalesce(nullif(t.typelem, 0), t.oid)),
           'comment', col_description(a.attrelid, a.attnum)
         ) order by a.attnum) as columns
  from pg_attribute a
  join rels r on r.oid = a.attrelid
  join pg_type t on t.oid = a.atttypid
  left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
  where a.attnum > 0 and not a.attisdropped
  group by a.attrelid
),
pks as (
  select c.conrelid, json_agg(a.attname order by k.ord) as pk
  from pg_constraint c
  cross join lateral unnest(c.conkey) with ordinality as k(attnum, ord)
  join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum
  where c.contype = 'p' and c.conrelid in (select oid from rels)
  group by c.conrelid
),
uniques as (
  select c.conrelid, json_agg((select json_agg(a.attname order by k.ord) from unnest(c.conkey) with ordinality k(attnum, ord)
           join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum) order by c.conname) as keys
  from pg_constraint c
  where c.contype in ('p', 'u') and c.conrelid in (select oid from rels)
  group by c.conrelid
),
fks as (
  select c.conname as name, r.schema, r.name as "table", fr.schema as "refSchema", fr.name as "refTable",
         (select json_agg(a.attname order by k.ord) from unnest(c.conkey) with ordinality k(attnum, ord)
            join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum) as columns,
         (select json_agg(a.attname order by k.ord) from unnest(c.confkey) with ordinality k(attnum, ord)
            join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.attnum) as "refColumns"
  from pg_constraint c
  join rels r on r.oid = c.conrelid
  join rels fr on fr.oid = c.confrelid
  where c.contype = 'f'
),
routines as (
  select p.oid, s.nspname as schema, p.proname as name, p.provolatile, p.proretset,
         format_type(p.prorettype, null) as "returnType", p.prorettype::int as "returnTypeOid",
         rr.schema as ret_schema, rr.name as ret_name,
         -- A standalone composite type (create type … as (…)): its columns, as PostgREST returns such rows.
         case when rt.typtype = 'c' and rr.oid is null then rt.typrelid end as ret_type_rel,
         obj_description(p.oid, 'pg_proc') as comment,
         p.pronargs, p.pronargdefaults, p.prorows,
         -- oidvector is 0-based; unnest/array rebases it to 1 like proargnames and proargmodes.
         array(select unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]))) as argtypes,
         p.proargmodes::text[] as argmodes,
         p.proargnames as argnames
  from pg_proc p
  join schemas s on s.oid = p.pronamespace
  join pg_type rt on rt.oid = p.prorettype
  left join rels rr on rr.oid = rt.typrelid and rt.typtype = 'c'
  where p.prokind = 'f'
)
select json_build_object(
  'relations', coalesce((select json_agg(json_build_object(
      'oid', r.oid::int, 'viewAction', r.view_action,
      'schema', r.schema, 'name', r.name, 'relkind', r.relkind, 'rlsEnabled', r.relrowsecurity,
      'comment', r.comment, 'updatable', r.upd,
      'columns', coalesce(c.columns, '[]'::json), 'primaryKey', coalesce(k.pk, '[]'::json),
      'uniqueKeys', coalesce(u.keys, '[]'::json))
      order by r.schema, r.name)
    from rels r left join cols c on c.attrelid = r.oid left join pks k on k.conrelid = r.oid
    left join uniques u on u.conrelid = r.oid), '[]'::json),
  'foreignKeys', coalesce((select json_agg(f order by f.schema, f."table", f.name) from fks f), '[]'::json),
  'routines', coalesce((select json_agg(json_build_object(
      'schema', x.schema, 'name', x.name, 'volatility', x.provolatile, 'returnsSet', x.proretset,
      'returnType', x."returnType", 'returnTypeOid', x."returnTypeOid",
      'returnsRelation', case when x.ret_name is null then null else json_build_object('schema', x.ret_schema, 'name', x.ret_name) end,
      'returnColumns', coalesce((select json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod), 'typeOid', a.atttypid::int) order by a.attnum)
                                 from pg_attribute a where a.attrelid = x.ret_type_rel and a.attnum > 0 and not a.attisdropped), '[]'::json),
      'comment', x.comment, 'nargs', x.pronargs, 'ndefaults', x.pronargdefaults, 'rows', x.prorows,
      'args', (select coalesce(json_agg(json_build_object(
                 'name', coalesce(x.argnames[i], ''),
                 'typeOid', x.argtypes[i]::int,
                 'type', format_type(x.argtypes[i], null),
                 'mode', coalesce(x.argmodes[i], 'i'),
                 'relation', (select json_build_object('schema', rn.nspname, 'name', rc.relname)
                              from pg_type at join pg_class rc on rc.oid = at.typrelid join pg_namespace rn on rn.oid = rc.relnamespace
                              where at.oid = x.argtypes[i] and rc.relkind in ('r', 'v', 'm', 'f', 'p'))) order by i), '[]'::json)
               from generate_subscripts(x.argtypes, 1) as i))
      -- Overloads newest first, as PostgREST lists them (in PGRST203's message): its cache
      -- gathers them with fromListWith (++), which puts each one found before the earlier ones.
      order by x.schema, x.name, x.oid desc) from routines x), '[]'::json),
  'roles', coalesce((select json_agg(r.rolname order by r.rolname) from pg_roles r
      where case when exists (select from pg_roles a where a.rolname = 'authenticator')
                 then pg_has_role('authenticator', r.oid, 'member') else false end), '[]'::json),
  'schemas', coalesce((select json_agg(nspname order by nspname) from schemas), '[]'::json),
  -- Each role's statement_timeout (alter role … set), this database's over the global one.
  'statementTimeouts', coalesce((select json_object_agg(r.rolname, substr(c.setting, 19) order by s.setdatabase)
      from pg_db_role_setting s join pg_roles r on r.oid = s.setrole
      cross join lateral unnest(s.setconfig) as c(setting)
      where s.setdatabase in (0, (select oid from pg_database where datname = current_database()))
        and c.setting like 'statement\_timeout=%'), '{}'::json)
) as cache
`;
