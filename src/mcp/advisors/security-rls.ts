// Security lints about row level security: tables the API reaches without it, RLS without
// policies, policies without RLS, and policies trusting what users can edit.
import { sql } from '../../lib/sql.ts';
import { policyRows, type PolicyRow } from './policy-rows.ts';
import { readsUserMetadata } from './policy-text.ts';
import { apiRoleCan, apiRolesThatCan, exposedSchema, notFromExtension, POLICY_SYSTEM_SCHEMAS, projectSchema } from './scope.ts';
import { defineLint, linterDocs } from './types.ts';

type TableRow = { schema: string; name: string };
const table = (r: TableRow) => ({ schema: r.schema, name: r.name, type: 'table' });
const ANY_WRITE_OR_READ = 'SELECT,INSERT,UPDATE,DELETE';

export const rlsDisabledInPublic = defineLint<TableRow & { exposed_to: string[] }>({
  name: 'rls_disabled_in_public',
  title: 'RLS Disabled in Public',
  level: 'ERROR',
  categories: ['SECURITY'],
  description: 'Detects tables in schemas the REST API exposes that row level security (RLS) does not protect.',
  remediation: linterDocs('0013_rls_disabled_in_public'),
  query: (scope) => sql`
    select n.nspname as schema, c.relname as name, ${apiRolesThatCan('c.oid', ANY_WRITE_OR_READ)} as exposed_to
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and not c.relrowsecurity
      and ${exposedSchema('n.nspname', scope)} and ${projectSchema('n.nspname')}
      and ${apiRoleCan('c.oid', ANY_WRITE_OR_READ)} and ${notFromExtension('c.oid', 'pg_class')}
    order by 1, 2`,
  finding: (r) => ({
    detail: `Table \`${r.schema}.${r.name}\` is exposed through the API, but RLS has not been enabled: ${r.exposed_to.join(' and ')} can use it as far as its grants allow.`,
    metadata: { ...table(r), exposed_to: r.exposed_to },
    key: [r.schema, r.name],
  }),
});

export const rlsEnabledNoPolicy = defineLint<TableRow>({
  name: 'rls_enabled_no_policy',
  title: 'RLS Enabled No Policy',
  level: 'INFO',
  categories: ['SECURITY'],
  description: 'Finds tables with row level security switched on but not a single policy: the API roles can neither read nor write any of their rows.',
  remediation: linterDocs('0008_rls_enabled_no_policy'),
  query: () => sql`
    select n.nspname as schema, c.relname as name
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and c.relrowsecurity
      and not exists (select from pg_policy p where p.polrelid = c.oid)
      and ${projectSchema('n.nspname')} and ${notFromExtension('c.oid', 'pg_class')}
    order by 1, 2`,
  finding: (r) => ({
    detail: `RLS is on for table \`${r.schema}.${r.name}\` but it has no policy, so the API roles see none of its rows. Add policies, or revoke their grants if that is the intent.`,
    metadata: table(r),
    key: [r.schema, r.name],
  }),
});

export const policyExistsRlsDisabled = defineLint<TableRow & { policies: string[] }>({
  name: 'policy_exists_rls_disabled',
  title: 'Policy Exists RLS Disabled',
  level: 'ERROR',
  categories: ['SECURITY'],
  description: 'Finds tables that have RLS policies while row level security itself is off: the policies are ignored and the grants apply in full.',
  remediation: linterDocs('0007_policy_exists_rls_disabled'),
  query: () => sql`
    select n.nspname as schema, c.relname as name, array_agg(p.polname::text order by p.polname) as policies
    from pg_class c join pg_namespace n on n.oid = c.relnamespace join pg_policy p on p.polrelid = c.oid
    where c.relkind in ('r', 'p') and not c.relrowsecurity
      and ${projectSchema('n.nspname', POLICY_SYSTEM_SCHEMAS)} and ${notFromExtension('c.oid', 'pg_class')}
    group by n.nspname, c.relname
    order by 1, 2`,
  finding: (r) => ({
    detail: `Table \`${r.schema}.${r.name}\` has policies (${r.policies.join(', ')}) but row level security is off, so none of them applies. Enable it: \`alter table ${r.schema}.${r.name} enable row level security\`.`,
    metadata: { ...table(r), policies: r.policies },
    key: [r.schema, r.name],
  }),
});

export const rlsReferencesUserMetadata = defineLint<PolicyRow>({
  name: 'rls_references_user_metadata',
  title: 'RLS references user metadata',
  level: 'ERROR',
  categories: ['SECURITY'],
  description: 'Finds RLS policies whose condition reads Auth `user_metadata`, which each user can change for themselves.',
  remediation: linterDocs('0015_rls_references_user_metadata'),
  query: () => policyRows(),
  finding: (r) =>
    readsUserMetadata(r.using_expr) || readsUserMetadata(r.check_expr)
      ? {
          detail: `Policy \`${r.policy}\` on table \`${r.schema}.${r.table}\` reads \`user_metadata\` (from the token or auth.users). Any user can set their own user_metadata, so it must never decide access: keep such facts in app_metadata or a table of your own.`,
          metadata: { schema: r.schema, name: r.table, type: 'table', policy: r.policy },
          key: [r.schema, r.table, r.policy],
        }
      : undefined,
});

export const securityRlsLints = [rlsDisabledInPublic, rlsEnabledNoPolicy, policyExistsRlsDisabled, rlsReferencesUserMetadata];
