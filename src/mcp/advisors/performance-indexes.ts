// Performance lints about keys and indexes: foreign keys no index covers, identical
// indexes, indexes never scanned, tables without a primary key.
import { sql } from '../../lib/sql.ts';
import { notFromExtension, projectSchema } from './scope.ts';
import { defineLint, linterDocs } from './types.ts';

export const unindexedForeignKeys = defineLint<{ schema: string; name: string; fkey_name: string; fkey_columns: number[]; column_names: string[] }>({
  name: 'unindexed_foreign_keys',
  title: 'Unindexed foreign keys',
  level: 'INFO',
  categories: ['PERFORMANCE'],
  description: 'Finds foreign keys whose columns no index starts with: joins on the key, and deletes or key updates of the referenced rows, must scan the whole table.',
  remediation: linterDocs('0001_unindexed_foreign_keys'),
  // Covered: a valid, non-partial index whose leading columns are the key's columns, in any order.
  query: () => sql`
    select n.nspname as schema, c.relname as name, k.conname as fkey_name, k.conkey::int[] as fkey_columns,
      array(select a.attname::text from unnest(k.conkey) with ordinality u(attnum, o)
            join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.attnum order by u.o) as column_names
    from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
    where k.contype = 'f' and k.conparentid = 0
      and ${projectSchema('n.nspname')} and ${notFromExtension('c.oid', 'pg_class')}
      and not exists (
        select from pg_index i
        where i.indrelid = k.conrelid and i.indisvalid and i.indpred is null
          and array(select u.attnum from unnest(i.indkey) with ordinality u(attnum, o) where u.o <= cardinality(k.conkey) order by 1)
            = array(select u.attnum from unnest(k.conkey) u(attnum) order by 1))
    order by 1, 2, 3`,
  finding: (r) => ({
    detail: `Foreign key \`${r.fkey_name}\` of table \`${r.schema}.${r.name}\` (${r.column_names.join(', ')}) has no index starting with its columns; add one, e.g. \`create index on ${r.schema}.${r.name} (${r.column_names.join(', ')})\`.`,
    metadata: { schema: r.schema, name: r.name, type: 'table', fkey_name: r.fkey_name, fkey_columns: r.fkey_columns, column_names: r.column_names },
    key: [r.schema, r.name, r.fkey_name],
  }),
});

export const duplicateIndex = defineLint<{ schema: string; name: string; kind: string; indexes: string[] }>({
  name: 'duplicate_index',
  title: 'Duplicate Index',
  level: 'WARN',
  categories: ['PERFORMANCE'],
  description: 'Finds indexes that are exact copies of another index on the same table: each copy costs writes and space for nothing.',
  remediation: linterDocs('0009_duplicate_index'),
  // Identical: same table, method, columns or expressions, operator classes, collations,
  // orderings, uniqueness and predicate.
  query: () => sql`
    select n.nspname as schema, c.relname as name, case c.relkind when 'm' then 'materialized view' else 'table' end as kind,
      array_agg(ic.relname::text order by ic.relname) as indexes
    from pg_index i
    join pg_class ic on ic.oid = i.indexrelid
    join pg_class c on c.oid = i.indrelid
    join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p', 'm') and ${projectSchema('n.nspname')} and ${notFromExtension('c.oid', 'pg_class')}
    group by n.nspname, c.relname, c.relkind, i.indrelid, ic.relam, i.indkey::text, i.indclass::text, i.indcollation::text,
      i.indoption::text, i.indisunique, i.indnullsnotdistinct,
      coalesce(pg_get_expr(i.indexprs, i.indrelid), ''), coalesce(pg_get_expr(i.indpred, i.indrelid), '')
    having count(*) > 1
    order by 1, 2, 4`,
  finding: (r) => ({
    detail: `Indexes ${r.indexes.map((i) => `\`${i}\``).join(', ')} on table \`${r.schema}.${r.name}\` are identical; keep one and drop the others.`,
    metadata: { schema: r.schema, name: r.name, type: r.kind, indexes: r.indexes },
    key: [r.schema, r.name, ...r.indexes],
  }),
});

export const unusedIndex = defineLint<{ schema: string; name: string; index: string; bytes: number }>({
  name: 'unused_index',
  title: 'Unused Index',
  level: 'INFO',
  categories: ['PERFORMANCE'],
  description: 'Detects indexes never scanned since the statistics were last reset; each costs writes and space, and may be a candidate for removal.',
  remediation: linterDocs('0005_unused_index'),
  query: () => sql`
    select s.schemaname as schema, s.relname as name, s.indexrelname as index, pg_relation_size(s.indexrelid)::float8 as bytes
    from pg_stat_user_indexes s join pg_index i on i.indexrelid = s.indexrelid
    where s.idx_scan = 0 and not i.indisunique and not i.indisprimary
      and not exists (select from pg_constraint k where k.conindid = s.indexrelid)
      and ${projectSchema('s.schemaname')} and ${notFromExtension('s.relid', 'pg_class')}
    order by 1, 2, 3`,
  finding: (r) => ({
    detail: `Index \`${r.index}\` on table \`${r.schema}.${r.name}\` has never been scanned since the statistics were last reset.`,
    metadata: { schema: r.schema, name: r.name, type: 'table', index: r.index, index_bytes: r.bytes },
    key: [r.schema, r.name, r.index],
  }),
});

export const noPrimaryKey = defineLint<{ schema: string; name: string }>({
  name: 'no_primary_key',
  title: 'No Primary Key',
  level: 'INFO',
  categories: ['PERFORMANCE'],
  description: 'Finds tables without a primary key: their rows have no reliable identity, which makes them slow and awkward to update, replicate or join at scale.',
  remediation: linterDocs('0004_no_primary_key'),
  query: () => sql`
    select n.nspname as schema, c.relname as name
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and not c.relispartition
      and not exists (select from pg_index i where i.indrelid = c.oid and i.indisprimary)
      and ${projectSchema('n.nspname')} and ${notFromExtension('c.oid', 'pg_class')}
    order by 1, 2`,
  finding: (r) => ({ detail: `Table \`${r.schema}.${r.name}\` has no primary key.`, metadata: { schema: r.schema, name: r.name, type: 'table' }, key: [r.schema, r.name] }),
});

export const performanceIndexLints = [unindexedForeignKeys, duplicateIndex, unusedIndex, noPrimaryKey];
