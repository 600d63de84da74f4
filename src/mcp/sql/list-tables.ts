// `list_tables`: one catalog query for the chosen schemas' tables (with their columns, keys
// and foreign keys as JSON), reshaped the way Supabase's tool answers: compact by default,
// columns and keys when verbose, and an advisory when a listed table has RLS off.
import type { Queryable } from '../../db/port.ts';
import { sql } from '../../lib/sql.ts';

export interface CatalogColumn {
  readonly name: string;
  readonly data_type: string;
  readonly format: string;
  readonly is_identity: boolean;
  readonly identity_generation: string | null;
  readonly is_generated: boolean;
  readonly is_nullable: boolean;
  readonly is_updatable: boolean;
  readonly is_unique: boolean;
  readonly default_value: string | null;
  readonly enums: string[];
  readonly check: string | null;
  readonly comment: string | null;
}

export interface CatalogTable {
  readonly schema: string;
  readonly name: string;
  readonly rls_enabled: boolean;
  readonly rows: number;
  readonly comment: string | null;
  readonly columns: CatalogColumn[];
  readonly primary_keys: string[];
  readonly foreign_keys: Array<{ name: string; source: string; target: string }>;
}

export async function readTables(db: Queryable, schemas: readonly string[]): Promise<CatalogTable[]> {
  const { rows } = await db.query<{ t: CatalogTable }>(sql`
    select jsonb_build_object(
      'schema', n.nspname, 'name', c.relname, 'rls_enabled', c.relrowsecurity,
      'rows', greatest(coalesce(pg_stat_get_live_tuples(c.oid), 0), 0),
      'comment', obj_description(c.oid, 'pg_class'),
      'columns', coalesce((
        select jsonb_agg(jsonb_build_object(
          'name', a.attname,
          'data_type', case when t.typtype = 'e' then 'USER-DEFINED' when t.typcategory = 'A' then 'ARRAY' else format_type(a.atttypid, null) end,
          'format', t.typname,
          'is_identity', a.attidentity <> '',
          'identity_generation', case a.attidentity when 'a' then 'ALWAYS' when 'd' then 'BY DEFAULT' end,
          'is_generated', a.attgenerated <> '',
          'is_nullable', not a.attnotnull,
          'is_updatable', c.relkind in ('r', 'p') and a.attgenerated = '',
          'is_unique', exists (select 1 from pg_index i where i.indrelid = c.oid and i.indisunique and i.indnatts = 1 and i.indkey[0] = a.attnum),
          'default_value', pg_get_expr(d.adbin, d.adrelid),
          'enums', coalesce((select jsonb_agg(e.enumlabel order by e.enumsortorder) from pg_enum e where e.enumtypid = a.atttypid), '[]'::jsonb),
          'check', (select pg_get_constraintdef(k.oid) from pg_constraint k where k.conrelid = c.oid and k.contype = 'c' and k.conkey = array[a.attnum] limit 1),
          'comment', col_description(c.oid, a.attnum)
        ) order by a.attnum)
        from pg_attribute a
        join pg_type t on t.oid = a.atttypid
        left join pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
        where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped), '[]'::jsonb),
      'primary_keys', coalesce((
        select jsonb_agg(a.attname order by a.attnum)
        from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
        where i.indrelid = c.oid and i.indisprimary), '[]'::jsonb),
      'foreign_keys', coalesce((
        select jsonb_agg(jsonb_build_object(
          'name', k.conname,
          'source', sn.nspname || '.' || sc.relname || '.' || sa.attname,
          'target', tn.nspname || '.' || tc.relname || '.' || ta.attname) order by k.conname, u.i)
        from pg_constraint k
        cross join lateral unnest(k.conkey, k.confkey) with ordinality as u(src, dst, i)
        join pg_class sc on sc.oid = k.conrelid join pg_namespace sn on sn.oid = sc.relnamespace
        join pg_attribute sa on sa.attrelid = k.conrelid and sa.attnum = u.src
        join pg_class tc on tc.oid = k.confrelid join pg_namespace tn on tn.oid = tc.relnamespace
        join pg_attribute ta on ta.attrelid = k.confrelid and ta.attnum = u.dst
        where k.contype = 'f' and (k.conrelid = c.oid or k.confrelid = c.oid)), '[]'::jsonb)
    ) as t
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and not c.relispartition
      and case when cardinality(${schemas}::text[]) = 0
        then n.nspname not in ('information_schema', 'pg_catalog', 'pg_toast') and n.nspname not like 'pg\\_temp\\_%'
        else n.nspname = any(${schemas}::text[]) end
    order by n.nspname, c.relname`);
  return rows.map((r) => r.t);
}
