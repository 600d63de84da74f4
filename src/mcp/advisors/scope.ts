// The conditions lints share, as SQL fragments over a column or OID expression the lint
// names (trusted text from this folder, never input): whose schema it is, whether the REST
// API exposes it, whether the API roles can reach it, whether an extension owns it.
import { raw, sql, type Sql } from '../../lib/sql.ts';
import type { LintScope } from './types.ts';

/**
 * Schemas that Groundwork, Supabase or an extension own: what is in them is not the
 * project's to fix (and Groundwork's own objects would otherwise fire on every database).
 * `pg_*` schemas are left out by pattern.
 */
export const SYSTEM_SCHEMAS: readonly string[] = [
  '_groundwork', 'groundwork', 'auth', 'cron', 'extensions', 'graphql', 'graphql_public', 'information_schema', 'net', 'pgmq',
  'pgmq_public', 'realtime', 'storage', 'supabase_functions', 'supabase_migrations', 'vault', 'pgbouncer', 'pgsodium',
  'pgsodium_masks', 'pgtle', 'pgroonga', 'repack', 'tiger', 'topology',
  '_timescaledb_cache', '_timescaledb_catalog', '_timescaledb_config', '_timescaledb_internal',
];

/**
 * For lints about policies: `realtime` holds the project's own policies on
 * `realtime.messages` (private channels), which deserve the same checks.
 */
export const POLICY_SYSTEM_SCHEMAS: readonly string[] = SYSTEM_SCHEMAS.filter((s) => s !== 'realtime');

/** The roles requests with the anon key or a user's token run as. */
export const API_ROLES: readonly string[] = ['anon', 'authenticated'];

/** The schema named by `column` is the project's (not a system one). */
export function projectSchema(column: string, system: readonly string[] = SYSTEM_SCHEMAS): Sql {
  return sql`(${raw(column)} <> all(${system}::text[]) and ${raw(column)} not like 'pg\\_%')`;
}

/** The schema named by `column` is one the REST API serves. */
export function exposedSchema(column: string, scope: LintScope): Sql {
  return sql`${raw(column)} = any(${scope.exposedSchemas}::text[])`;
}

/** An API role holds any of `privileges` (e.g. 'SELECT', or 'SELECT,INSERT,UPDATE,DELETE') on the relation `oid`. */
export function apiRoleCan(oid: string, privileges: string): Sql {
  return sql`exists (select from pg_roles api where api.rolname = any(${API_ROLES}::text[]) and has_table_privilege(api.oid, ${raw(oid)}, ${privileges}))`;
}

/** The roles among the API roles holding any of `privileges` on `oid`, as a text array. */
export function apiRolesThatCan(oid: string, privileges: string): Sql {
  return sql`array(select api.rolname::text from pg_roles api where api.rolname = any(${API_ROLES}::text[]) and has_table_privilege(api.oid, ${raw(oid)}, ${privileges}) order by 1)`;
}

/** The object `oid` of catalog `catalog` is not part of an extension (the extension's author owns it). */
export function notFromExtension(oid: string, catalog: 'pg_class' | 'pg_proc'): Sql {
  return sql`not exists (select from pg_depend ext where ext.classid = ${catalog}::regclass and ext.objid = ${raw(oid)} and ext.deptype = 'e')`;
}
