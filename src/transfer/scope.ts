// What a move carries. The target's own bootstrap makes Groundwork's schemas, roles,
// extensions and Auth's tables, so a dump holds only what the project made, plus the rows
// of Auth's tables and the migration history. Pure constants; scope.test.ts keeps them in
// step with the bootstrap's SQL.

/** Schemas the bootstrap creates and fills: their definitions are never dumped. */
export const GROUNDWORK_SCHEMAS: readonly string[] = [
  '_groundwork',
  'auth',
  'cron',
  'extensions',
  'graphql_public',
  'groundwork',
  'net',
  'pgmq',
  'pgmq_public',
  'realtime',
  'supabase_functions',
];

/** Auth's tables live here: their rows move, and the project's triggers and policies on them. */
export const AUTH_SCHEMA = 'auth';

/**
 * realtime.messages lives here: the project's policies on it (who may use private channels)
 * and triggers move; its rows (a 72-hour replay buffer) do not.
 */
export const REALTIME_SCHEMA = 'realtime';

/** Realtime's capture trigger on each published table: the target's own event trigger makes it again. */
export const CAPTURE_TRIGGER = 'groundwork_realtime_capture';

/**
 * Made by the migration runner (not the bootstrap), and possibly present but empty on a
 * target where Groundwork already started: created only if missing, then filled.
 */
export const MIGRATIONS_SCHEMA = 'supabase_migrations';

/** Extensions the bootstrap creates (plpgsql comes with PostgreSQL). */
export const GROUNDWORK_EXTENSIONS: readonly string[] = ['pgcrypto', 'plpgsql', 'uuid-ossp'];

/** The bootstrap's publication: the project only adds its tables to it. */
export const GROUNDWORK_PUBLICATION = 'supabase_realtime';

/** The role whose rows in Auth's tables it owns: Auth's data is written as this role. */
export const AUTH_OWNER = 'supabase_auth_admin';

/**
 * Roles the bootstrap's default privileges grant to: every object a dump creates revokes
 * what they (and PUBLIC) got by default before granting what the source had.
 */
export const DEFAULT_GRANTEES: readonly string[] = ['anon', 'authenticated', 'service_role'];

/** The bootstrap's default privileges: (schema, object kind), granted to DEFAULT_GRANTEES. */
export const GROUNDWORK_DEFAULT_ACLS: ReadonlyArray<readonly [string, 'r' | 'f' | 'S']> = [
  ['public', 'r'],
  ['public', 'f'],
  ['public', 'S'],
  ['graphql_public', 'r'],
  ['graphql_public', 'f'],
  ['graphql_public', 'S'],
];

/** Whether a schema's objects are the project's (and so dumped). */
export function isProjectSchema(name: string): boolean {
  return !GROUNDWORK_SCHEMAS.includes(name) && name !== 'information_schema' && name !== 'pg_catalog' && !name.startsWith('pg_');
}
