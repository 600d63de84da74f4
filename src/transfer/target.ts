// The PostgreSQL server a project moves to: what it already holds (a copy never mixes two
// projects), and making it ready (Groundwork's bootstrap, or a clean slate on request).
import { sql } from '../lib/sql.ts';
import type { Database, Queryable } from '../db/port.ts';
import { openServerDatabase } from '../db/server/adapter.ts';
import { GROUNDWORK_SCHEMAS, MIGRATIONS_SCHEMA } from './scope.ts';

export function openTarget(url: string, onNotice?: (message: string) => void): Database {
  return openServerDatabase({ url, poolSize: 2, connectTimeoutSeconds: 10, applicationName: 'groundwork copy', ...(onNotice === undefined ? {} : { onNotice }) });
}

async function countIfExists(db: Queryable, table: string): Promise<number> {
  const { rows } = await db.query<{ t: string | null }>(sql`select to_regclass(${table})::text as t`);
  if (rows[0]?.t == null) return 0;
  // The name is one of two constants below, checked to exist.
  const counted = await db.query<{ n: string }>(table === 'auth.users' ? sql`select count(*) as n from auth.users` : sql`select count(*) as n from supabase_migrations.schema_migrations`);
  return Number(counted.rows[0]?.n ?? 0);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * What of a project the target holds, as phrases ("3 relations (public.posts, …)", "2 auth
 * users", "5 migrations"); empty when it holds none. Extensions' own objects do not count.
 */
export async function projectOnTarget(db: Queryable): Promise<string[]> {
  const skipped = JSON.stringify([...GROUNDWORK_SCHEMAS, MIGRATIONS_SCHEMA]);
  const { rows } = await db.query<{ name: string }>(sql`
    select n.nspname || '.' || o.name as name
    from (
      select c.relnamespace as ns, c.relname::text as name, c.oid, 'pg_class'::regclass as cls from pg_class c where c.relkind in ('r', 'p', 'v', 'm', 'f')
      union all
      select p.pronamespace, p.proname::text || '()', p.oid, 'pg_proc'::regclass from pg_proc p
      union all
      select t.typnamespace, t.typname::text, t.oid, 'pg_type'::regclass from pg_type t where t.typtype in ('e', 'd')
    ) o join pg_namespace n on n.oid = o.ns
    where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
      and n.nspname not in (select jsonb_array_elements_text(${skipped}::jsonb))
      and not exists (select from pg_depend e where e.classid = o.cls and e.objid = o.oid and e.deptype = 'e')
    order by 1`);
  const held: string[] = [];
  if (rows.length > 0) {
    const shown = rows.slice(0, 5).map((r) => r.name);
    held.push(`${plural(rows.length, 'object')} (${shown.join(', ')}${rows.length > shown.length ? ', …' : ''})`);
  }
  const users = await countIfExists(db, 'auth.users');
  if (users > 0) held.push(plural(users, 'auth user'));
  const migrations = await countIfExists(db, 'supabase_migrations.schema_migrations');
  if (migrations > 0) held.push(plural(migrations, 'applied migration'));
  return held;
}
