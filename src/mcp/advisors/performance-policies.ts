// Performance lints about RLS policies: per-row calls that could run once per statement, and
// several permissive policies that every row must pass through for one role and action.
import { sql } from '../../lib/sql.ts';
import { policyRows, type PolicyRow } from './policy-rows.ts';
import { perRowCalls } from './policy-text.ts';
import { API_ROLES, notFromExtension, POLICY_SYSTEM_SCHEMAS, projectSchema } from './scope.ts';
import { defineLint, linterDocs } from './types.ts';

export const authRlsInitplan = defineLint<PolicyRow>({
  name: 'auth_rls_initplan',
  title: 'Auth RLS Initialization Plan',
  level: 'WARN',
  categories: ['PERFORMANCE'],
  description: 'Finds RLS policies that call `auth.<function>()` or `current_setting()` once per row instead of once per statement.',
  remediation: linterDocs('0003_auth_rls_initplan'),
  query: () => policyRows(),
  finding: (r) => {
    if (!r.rls_enabled) return undefined;
    const calls = [...new Set([...perRowCalls(r.using_expr), ...perRowCalls(r.check_expr)])];
    if (calls.length === 0) return undefined;
    const list = calls.map((c) => `\`${c}\``).join(', ');
    return {
      detail: `Policy \`${r.policy}\` on table \`${r.schema}.${r.table}\` evaluates ${list} again for every row it checks. Write it as \`(select ${calls[0]})\` so PostgreSQL computes it once per statement (see https://supabase.com/docs/guides/database/postgres/row-level-security#call-functions-with-select).`,
      metadata: { schema: r.schema, name: r.table, type: 'table', policy: r.policy, calls },
      key: [r.schema, r.table, r.policy],
    };
  },
});

export const multiplePermissivePolicies = defineLint<{ schema: string; name: string; role: string; action: string; policies: string[] }>({
  name: 'multiple_permissive_policies',
  title: 'Multiple Permissive Policies',
  level: 'WARN',
  categories: ['PERFORMANCE'],
  description: 'Finds tables where one role has more than one permissive RLS policy for the same action: PostgreSQL evaluates all of them for every row.',
  remediation: linterDocs('0006_multiple_permissive_policies'),
  // The roles considered for a table: those its policies name, and the API roles (which a
  // PUBLIC policy reaches); roles that bypass RLS never evaluate policies.
  query: () => sql`
    with pol as (
      select c.oid as rel, n.nspname as schema, c.relname as name, p.polname, p.polroles, p.polcmd
      from pg_policy p join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace
      where p.polpermissive and c.relkind in ('r', 'p')
        and ${projectSchema('n.nspname', POLICY_SYSTEM_SCHEMAS)} and ${notFromExtension('c.oid', 'pg_class')}
    ),
    candidates as (
      select distinct pol.rel, r.oid as role, r.rolname
      from pol join pg_roles r on r.oid = any(pol.polroles) or r.rolname = any(${API_ROLES}::text[])
      where not r.rolbypassrls and not r.rolsuper
    )
    select pol.schema, pol.name, cand.rolname::text as role, act.action, array_agg(pol.polname::text order by pol.polname) as policies
    from pol
    join candidates cand on cand.rel = pol.rel and (cand.role = any(pol.polroles) or 0::oid = any(pol.polroles))
    cross join lateral unnest(case pol.polcmd when 'r' then array['SELECT'] when 'a' then array['INSERT'] when 'w' then array['UPDATE']
      when 'd' then array['DELETE'] else array['SELECT', 'INSERT', 'UPDATE', 'DELETE'] end) as act(action)
    group by 1, 2, 3, 4
    having count(*) > 1
    order by 1, 2, 3, 4`,
  finding: (r) => ({
    detail: `Table \`${r.schema}.${r.name}\` has ${r.policies.length} permissive policies for role \`${r.role}\` and action \`${r.action}\` (${r.policies.join(', ')}); each is evaluated for every row. Merge them into one policy whose condition joins theirs with OR.`,
    metadata: { schema: r.schema, name: r.name, type: 'table', role: r.role, action: r.action, policies: r.policies },
    key: [r.schema, r.name, r.role, r.action],
  }),
});

export const performancePolicyLints = [authRlsInitplan, multiplePermissivePolicies];
