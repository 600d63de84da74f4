// What a project's database holds, as plain values, so a test can compare a source and a
// copy table by table: each relation's columns, constraints, indexes, triggers, policies,
// privileges, comments and rows (as text, sorted), and the objects beside the tables. Runs
// on PGlite (PostgreSQL 18) and PostgreSQL 15 alike: MAINTAIN, the privilege 17 added, is
// left out of privileges, and grantors are not compared.
import { ident, raw, sql } from '../../src/lib/sql.ts';
import type { Database, Queryable } from '../../src/db/port.ts';

const SETTINGS: ReadonlyArray<readonly [string, string]> = [
  ['search_path', ''],
  ['datestyle', 'ISO, YMD'],
  ['intervalstyle', 'postgres'],
  ['timezone', 'UTC'],
  ['extra_float_digits', '3'],
];

const ACL = (acl: string) =>
  raw(`(select coalesce(jsonb_agg(x order by x), '[]'::jsonb) from (
      select format('%s:%s%s', case when a.grantee = 0 then 'PUBLIC' else pg_get_userbyid(a.grantee)::text end,
        a.privilege_type, case when a.is_grantable then '*' else '' end) as x
      from aclexplode(${acl}) a where a.privilege_type <> 'MAINTAIN') s)`);

export interface RelationSnapshot {
  readonly [aspect: string]: unknown;
}

async function one<T>(tx: Queryable, q: ReturnType<typeof sql>): Promise<T> {
  const { rows } = await tx.query<{ v: T }>(q);
  return rows[0]?.v as T;
}

/** Every relation of `schemas` (and the bootstrap's tables the project adds policies to: Auth's, realtime.messages), by `schema.name`. */
async function relations(tx: Queryable, schemas: readonly string[]): Promise<Record<string, RelationSnapshot>> {
  const { rows } = await tx.query<{ schema: string; name: string; kind: string; v: Record<string, unknown> }>(sql`
    select n.nspname as schema, c.relname as name, c.relkind as kind, jsonb_build_object(
      'kind', c.relkind, 'persistence', c.relpersistence, 'options', c.reloptions, 'rls', c.relrowsecurity, 'forceRls', c.relforcerowsecurity,
      'replicaIdentity', case when c.relkind = 'r' then c.relreplident end, 'owner', pg_get_userbyid(c.relowner), 'comment', obj_description(c.oid, 'pg_class'),
      'acl', ${ACL("coalesce(c.relacl, acldefault('r', c.relowner))")},
      'view', case when c.relkind in ('v', 'm') then pg_get_viewdef(c.oid) end,
      'columns', (select jsonb_agg(jsonb_build_array(a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid),
          a.attidentity, a.attgenerated, a.attcollation::regcollation::text, col_description(c.oid, a.attnum), ${ACL('a.attacl')}) order by a.attnum)
        from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
        where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped),
      'constraints', (select jsonb_agg(jsonb_build_array(k.conname, pg_get_constraintdef(k.oid), obj_description(k.oid, 'pg_constraint')) order by k.conname)
        from pg_constraint k where k.conrelid = c.oid and k.contype in ('p', 'u', 'c', 'f', 'x')),
      'indexes', (select jsonb_agg(jsonb_build_array(pg_get_indexdef(x.indexrelid), obj_description(x.indexrelid, 'pg_class')) order by pg_get_indexdef(x.indexrelid))
        from pg_index x where x.indrelid = c.oid),
      'triggers', (select jsonb_agg(jsonb_build_array(pg_get_triggerdef(t.oid), t.tgenabled, obj_description(t.oid, 'pg_trigger')) order by t.tgname)
        from pg_trigger t where t.tgrelid = c.oid and not t.tgisinternal),
      'policies', (select jsonb_agg(jsonb_build_array(p.polname, p.polpermissive, p.polcmd,
          (select jsonb_agg(case when r = 0 then 'public' else pg_get_userbyid(r)::text end order by r) from unnest(p.polroles) r),
          pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)) order by p.polname)
        from pg_policy p where p.polrelid = c.oid),
      'publications', (select jsonb_agg(pub.pubname order by pub.pubname) from pg_publication_rel pr join pg_publication pub on pub.oid = pr.prpubid where pr.prrelid = c.oid)
    ) as v
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'v', 'm') and (n.nspname in (select jsonb_array_elements_text(${JSON.stringify(schemas)}::jsonb)) or n.nspname in ('auth', 'realtime'))
    order by 1, 2`);
  const out: Record<string, RelationSnapshot> = {};
  for (const r of rows) {
    const data = await one<string[] | null>(tx, sql`select array_to_json(array_agg(t::text order by t::text)) as v from ${ident(r.schema, r.name)} t`);
    out[`${r.schema}.${r.name}`] = { ...r.v, rows: data ?? [] };
  }
  return out;
}

/** Functions, types, sequences, schemas and default privileges of `schemas`. */
async function objects(tx: Queryable, schemas: readonly string[]): Promise<Record<string, unknown>> {
  const inSchemas = sql`(select jsonb_array_elements_text(${JSON.stringify(schemas)}::jsonb))`;
  const functions = await one(tx, sql`
    select jsonb_object_agg(p.oid::regprocedure::text, jsonb_build_array(pg_get_functiondef(p.oid), ${ACL('coalesce(p.proacl, acldefault(\'f\', p.proowner))')}, obj_description(p.oid, 'pg_proc'))) as v
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname in ${inSchemas}`);
  const types = await one(tx, sql`
    select jsonb_object_agg(t.oid::regtype::text, jsonb_build_array(t.typtype, format_type(t.typbasetype, t.typtypmod), t.typnotnull, t.typdefault,
      (select jsonb_agg(e.enumlabel order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid),
      (select jsonb_agg(pg_get_constraintdef(k.oid) order by k.conname) from pg_constraint k where k.contypid = t.oid and k.contype = 'c'),
      (select jsonb_agg(jsonb_build_array(a.attname, format_type(a.atttypid, a.atttypmod)) order by a.attnum) from pg_attribute a where t.typtype = 'c' and a.attrelid = t.typrelid and a.attnum > 0))) as v
    from pg_type t join pg_namespace n on n.oid = t.typnamespace
    where n.nspname in ${inSchemas} and (t.typtype in ('e', 'd') or (t.typtype = 'c' and (select relkind from pg_class where oid = t.typrelid) = 'c'))`);
  const { rows: seqs } = await tx.query<{ schema: string; name: string; options: unknown }>(sql`
    select n.nspname as schema, c.relname as name, jsonb_build_array(format_type(s.seqtypid, null), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle, ${ACL("coalesce(c.relacl, acldefault('s', c.relowner))")}) as options
    from pg_class c join pg_namespace n on n.oid = c.relnamespace join pg_sequence s on s.seqrelid = c.oid
    where c.relkind = 'S' and (n.nspname in ${inSchemas} or n.nspname = 'auth') order by 1, 2`);
  const sequences: Record<string, unknown> = {};
  for (const s of seqs) {
    sequences[`${s.schema}.${s.name}`] = [s.options, await one(tx, sql`select jsonb_build_array(last_value::text, is_called) as v from ${ident(s.schema, s.name)}`)];
  }
  const schemaAcls = await one(tx, sql`
    select jsonb_object_agg(n.nspname, jsonb_build_array(${ACL("coalesce(n.nspacl, acldefault('n', n.nspowner))")}, obj_description(n.oid, 'pg_namespace'))) as v
    from pg_namespace n where n.nspname in ${inSchemas}`);
  const defaultAcls = await one(tx, sql`
    select jsonb_agg(jsonb_build_array(pg_get_userbyid(d.defaclrole), n.nspname, d.defaclobjtype, ${ACL('d.defaclacl')}) order by d.defaclrole, n.nspname, d.defaclobjtype) as v
    from pg_default_acl d left join pg_namespace n on n.oid = d.defaclnamespace
    where d.defaclnamespace = 0 or n.nspname in ${inSchemas}`);
  return { functions, types, sequences, schemas: schemaAcls, defaultAcls };
}

export interface DatabaseSnapshot {
  readonly relations: Record<string, RelationSnapshot>;
  readonly objects: Record<string, unknown>;
}

/** The project's schemas are every schema but the system's and Groundwork's own. */
export async function snapshotProject(db: Database): Promise<DatabaseSnapshot> {
  return db.transaction(
    async (tx) => {
      const { rows } = await tx.query<{ name: string }>(sql`
        select nspname as name from pg_namespace
        where nspname not in ('pg_catalog', 'information_schema', 'auth', 'extensions', 'graphql_public', '_groundwork') and nspname not like 'pg\\_%'
        order by 1`);
      const schemas = rows.map((r) => r.name);
      return { relations: await relations(tx, schemas), objects: await objects(tx, schemas) };
    },
    { settings: SETTINGS, readOnly: true },
  );
}
