// Security lints about objects the API reaches past RLS: definer views, auth.users behind a
// view, materialized views and foreign tables, queues; and functions or extensions a
// caller's search_path could subvert.
import { raw, sql, type Sql } from '../../lib/sql.ts';
import { apiRoleCan, apiRolesThatCan, exposedSchema, notFromExtension, projectSchema } from './scope.ts';
import { defineLint, linterDocs, type LintScope } from './types.ts';

type RelationRow = { schema: string; name: string; exposed_to: string[] };

/** The view `c` runs with its caller's rights (`security_invoker`, PostgreSQL 15+), in any spelling of true. */
const securityInvoker = (c: string): Sql =>
  sql`exists (select from unnest(coalesce(${raw(c)}.reloptions, '{}'::text[])) o where lower(o) ~ '^security_invoker=(t|tr|tru|true|y|ye|yes|on|1)$')`;

/** Relations of `relkind` in exposed schemas that an API role may select from. */
function reachableRelations(relkind: string, scope: LintScope): Sql {
  return sql`
    select n.nspname as schema, c.relname as name, ${apiRolesThatCan('c.oid', 'SELECT')} as exposed_to
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind = ${relkind} and ${exposedSchema('n.nspname', scope)} and ${projectSchema('n.nspname')}
      and ${apiRoleCan('c.oid', 'SELECT')} and ${notFromExtension('c.oid', 'pg_class')}`;
}

export const securityDefinerView = defineLint<RelationRow>({
  name: 'security_definer_view',
  title: 'Security Definer View',
  level: 'ERROR',
  categories: ['SECURITY'],
  description: "Detects views in exposed schemas that run with their owner's rights (no `security_invoker`), so the owner's privileges and RLS apply instead of the caller's.",
  remediation: linterDocs('0010_security_definer_view'),
  query: (scope) => sql`${reachableRelations('v', scope)} and not ${securityInvoker('c')} order by 1, 2`,
  finding: (r) => ({
    detail: `View \`${r.schema}.${r.name}\` runs with its owner's rights (it has no security_invoker option), so ${r.exposed_to.join(' and ')} read it past their own grants and RLS. Recreate it \`with (security_invoker = on)\`.`,
    metadata: { schema: r.schema, name: r.name, type: 'view', exposed_to: r.exposed_to },
    key: [r.schema, r.name],
  }),
});

export const materializedViewInApi = defineLint<RelationRow>({
  name: 'materialized_view_in_api',
  title: 'Materialized View in API',
  level: 'WARN',
  categories: ['SECURITY'],
  description: 'Finds materialized views in exposed schemas that the API roles can select from; a materialized view cannot have row level security.',
  remediation: linterDocs('0016_materialized_view_in_api'),
  query: (scope) => sql`${reachableRelations('m', scope)} order by 1, 2`,
  finding: (r) => ({
    detail: `${r.exposed_to.join(' and ')} can select from materialized view \`${r.schema}.${r.name}\` through the API, and no RLS can restrict its rows. Revoke their select, or move it to a schema the API does not expose.`,
    metadata: { schema: r.schema, name: r.name, type: 'materialized view', exposed_to: r.exposed_to },
    key: [r.schema, r.name],
  }),
});

export const foreignTableInApi = defineLint<RelationRow>({
  name: 'foreign_table_in_api',
  title: 'Foreign Table in API',
  level: 'WARN',
  categories: ['SECURITY'],
  description: 'Finds foreign tables in exposed schemas that the API roles can select from; row level security does not apply to foreign tables.',
  remediation: linterDocs('0017_foreign_table_in_api'),
  query: (scope) => sql`${reachableRelations('f', scope)} order by 1, 2`,
  finding: (r) => ({
    detail: `${r.exposed_to.join(' and ')} can select from foreign table \`${r.schema}.${r.name}\` through the API, and no RLS can restrict its rows. Revoke their select, or move it to a schema the API does not expose.`,
    metadata: { schema: r.schema, name: r.name, type: 'foreign table', exposed_to: r.exposed_to },
    key: [r.schema, r.name],
  }),
});

export const authUsersExposed = defineLint<RelationRow & { kind: string }>({
  name: 'auth_users_exposed',
  title: 'Exposed Auth Users',
  level: 'ERROR',
  categories: ['SECURITY'],
  description: 'Detects views and materialized views in exposed schemas that read `auth.users` (directly or through other views) and let anon or authenticated see its rows.',
  remediation: linterDocs('0002_auth_users_exposed'),
  // Views reading auth.users, then views reading those, through their rewrite rules'
  // dependencies; insecure when materialized, definer, or invoker over an auth.users without RLS.
  query: (scope) => sql`
    with recursive readers(oid) as (
      select r.ev_class from pg_depend d join pg_rewrite r on r.oid = d.objid
      where d.classid = 'pg_rewrite'::regclass and d.refclassid = 'pg_class'::regclass
        and d.refobjid = to_regclass('auth.users') and r.ev_class <> d.refobjid
      union
      select r.ev_class from readers x
      join pg_depend d on d.refclassid = 'pg_class'::regclass and d.refobjid = x.oid and d.classid = 'pg_rewrite'::regclass
      join pg_rewrite r on r.oid = d.objid
      where r.ev_class <> x.oid
    )
    select n.nspname as schema, c.relname as name, case c.relkind when 'm' then 'materialized view' else 'view' end as kind,
      ${apiRolesThatCan('c.oid', 'SELECT')} as exposed_to
    from readers x join pg_class c on c.oid = x.oid join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('v', 'm') and ${exposedSchema('n.nspname', scope)} and ${projectSchema('n.nspname')}
      and ${apiRoleCan('c.oid', 'SELECT')}
      and (c.relkind = 'm' or not ${securityInvoker('c')}
           or not coalesce((select u.relrowsecurity from pg_class u where u.oid = to_regclass('auth.users')), false))
    order by 1, 2`,
  finding: (r) => ({
    detail: `The ${r.kind} \`${r.schema}.${r.name}\` reads \`auth.users\` and ${r.exposed_to.join(' and ')} can select from it: user emails and other personal data may be readable through the API.`,
    metadata: { schema: r.schema, name: r.name, type: r.kind, exposed_to: r.exposed_to },
    key: [r.schema, r.name],
  }),
});

export const functionSearchPathMutable = defineLint<{ schema: string; name: string; args: string; definer: boolean }>({
  name: 'function_search_path_mutable',
  title: 'Function Search Path Mutable',
  level: 'WARN',
  categories: ['SECURITY'],
  description: "Detects functions that do not set `search_path`, so the objects they name are looked up in the caller's search_path.",
  remediation: linterDocs('0011_function_search_path_mutable'),
  query: () => sql`
    select n.nspname as schema, p.proname as name, pg_get_function_identity_arguments(p.oid) as args, p.prosecdef as definer
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_language l on l.oid = p.prolang
    where p.prokind in ('f', 'p') and l.lanname not in ('c', 'internal')
      and not exists (select from unnest(coalesce(p.proconfig, '{}'::text[])) s where s like 'search\\_path=%')
      and ${projectSchema('n.nspname')} and ${notFromExtension('p.oid', 'pg_proc')}
    order by 1, 2, 3`,
  finding: (r) => ({
    detail: `Function \`${r.schema}.${r.name}(${r.args})\` does not pin its search_path${r.definer ? ', and it runs as SECURITY DEFINER' : ''}: give it \`set search_path = ''\` and qualify the names it uses.`,
    metadata: { schema: r.schema, name: r.name, type: 'function', arguments: r.args, security_definer: r.definer },
    key: [r.schema, r.name, r.args],
  }),
});

export const extensionInPublic = defineLint<{ schema: string; name: string; version: string }>({
  name: 'extension_in_public',
  title: 'Extension in Public',
  level: 'WARN',
  categories: ['SECURITY'],
  description: 'Detects extensions installed in `public` or another exposed schema, where their functions become callable through the API.',
  remediation: linterDocs('0014_extension_in_public'),
  query: (scope) => sql`
    select n.nspname as schema, e.extname as name, e.extversion as version
    from pg_extension e join pg_namespace n on n.oid = e.extnamespace
    where e.extname <> 'plpgsql' and (n.nspname = 'public' or ${exposedSchema('n.nspname', scope)})
    order by 1, 2`,
  finding: (r) => ({
    detail: `Extension \`${r.name}\` lives in the \`${r.schema}\` schema, where the API can reach its functions. Move it: \`alter extension "${r.name}" set schema extensions\`.`,
    metadata: { schema: r.schema, name: r.name, type: 'extension', version: r.version },
    key: [r.schema, r.name],
  }),
});

export const insecureQueueExposedInApi = defineLint<RelationRow>({
  name: 'insecure_queue_exposed_in_api',
  title: 'Insecure Queue Exposed in API',
  level: 'ERROR',
  categories: ['SECURITY'],
  description: "Detects queue tables without row level security that anon or authenticated may use while `pgmq_public` is exposed: its functions run with the caller's rights.",
  remediation: linterDocs('0019_insecure_queue_exposed_in_api'),
  query: (scope) =>
    scope.exposedSchemas.includes('pgmq_public')
      ? sql`
        select n.nspname as schema, c.relname as name, ${apiRolesThatCan('c.oid', 'SELECT,INSERT,UPDATE,DELETE')} as exposed_to
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'pgmq' and c.relname like 'q\\_%' and c.relkind in ('r', 'p') and not c.relrowsecurity
          and ${apiRoleCan('c.oid', 'SELECT,INSERT,UPDATE,DELETE')}
        order by 1, 2`
      : undefined,
  finding: (r) => ({
    detail: `Queue table \`${r.schema}.${r.name}\` has no RLS, and ${r.exposed_to.join(' and ')} may use it through \`pgmq_public\`.`,
    metadata: { schema: r.schema, name: r.name, type: 'table', exposed_to: r.exposed_to },
    key: [r.schema, r.name],
  }),
});

export const securityObjectLints = [securityDefinerView, authUsersExposed, materializedViewInApi, foreignTableInApi, insecureQueueExposedInApi, functionSearchPathMutable, extensionInPublic];
