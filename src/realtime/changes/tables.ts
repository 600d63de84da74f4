// What the change feed needs of the catalog, read as the `api` login (catalog access only):
// the tables in the supabase_realtime publication with their columns, primary key, RLS and
// replica identity; and the columns a role may SELECT, which decide a payload's `columns`.
import type { Queryable } from '../../db/port.ts';
import { sql } from '../../lib/sql.ts';

export interface PublishedTable {
  readonly relid: string;
  readonly schema: string;
  readonly name: string;
  readonly rls: boolean;
  /** REPLICA IDENTITY FULL: UPDATE and DELETE carry the whole old row, not only the key. */
  readonly replicaFull: boolean;
  readonly primaryKey: readonly string[];
  /** In attnum order, with pg_type.typname (`int8`, `_text`…) and the type as SQL names it (`bigint`). */
  readonly columns: readonly { readonly name: string; readonly type: string; readonly sqlType: string }[];
}

export interface Catalog {
  readonly tables: ReadonlyMap<string, PublishedTable>;
  /** realtime.messages, whose inserts are broadcasts. */
  readonly messagesRelid: string;
}

export async function loadCatalog(db: Queryable): Promise<Catalog> {
  const { rows } = await db.query<Omit<PublishedTable, 'primaryKey' | 'columns'> & { primary_key: string[]; columns: PublishedTable['columns']; replica_full: boolean }>(sql`
    select c.oid::text as relid, n.nspname as schema, c.relname as name, c.relrowsecurity as rls, c.relreplident = 'f' as replica_full,
      coalesce((select json_agg(a.attname order by array_position(i.indkey::int2[], a.attnum))
                from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
                where i.indrelid = c.oid and i.indisprimary), '[]') as primary_key,
      coalesce((select json_agg(json_build_object('name', a.attname, 'type', t.typname, 'sqlType', format_type(a.atttypid, null)) order by a.attnum)
                from pg_attribute a join pg_type t on t.oid = a.atttypid
                where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped), '[]') as columns
    from pg_publication_tables p
    join pg_namespace n on n.nspname = p.schemaname
    join pg_class c on c.relnamespace = n.oid and c.relname = p.tablename
    where p.pubname = 'supabase_realtime'`);
  const { rows: m } = await db.query<{ relid: string }>(sql`select 'realtime.messages'::regclass::oid::text as relid`);
  const tables = new Map<string, PublishedTable>();
  for (const r of rows) {
    tables.set(r.relid, { relid: r.relid, schema: r.schema, name: r.name, rls: r.rls, replicaFull: r.replica_full, primaryKey: r.primary_key, columns: r.columns });
  }
  return { tables, messagesRelid: m[0]?.relid ?? '' };
}

/** The columns `role` may SELECT in each of `relids`. */
export async function loadSelectable(db: Queryable, role: string, relids: readonly string[]): Promise<Map<string, ReadonlySet<string>>> {
  const { rows } = await db.query<{ relid: string; columns: string[] | null }>(sql`
    select c.oid::text as relid,
      (select array_agg(a.attname::text order by a.attnum) from pg_attribute a
       where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and has_column_privilege(${role}, c.oid, a.attnum, 'SELECT')) as columns
    from pg_class c where c.oid = any(${relids}::oid[])`);
  return new Map(rows.map((r) => [r.relid, new Set(r.columns ?? [])]));
}
