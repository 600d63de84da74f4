// The project's RLS policies with their expressions deparsed, for the lints that read them
// (src/mcp/advisors/policy-text.ts). The advisors run with an empty search_path, so every
// function outside pg_catalog comes out schema-qualified (`auth.uid()`).
import { sql, type Sql } from '../../lib/sql.ts';
import { notFromExtension, POLICY_SYSTEM_SCHEMAS, projectSchema } from './scope.ts';

export type PolicyRow = {
  schema: string;
  table: string;
  policy: string;
  rls_enabled: boolean;
  using_expr: string | null;
  check_expr: string | null;
};

export function policyRows(): Sql {
  return sql`
    select n.nspname as schema, c.relname as table, p.polname as policy, c.relrowsecurity as rls_enabled,
      pg_get_expr(p.polqual, p.polrelid) as using_expr, pg_get_expr(p.polwithcheck, p.polrelid) as check_expr
    from pg_policy p
    join pg_class c on c.oid = p.polrelid
    join pg_namespace n on n.oid = c.relnamespace
    where ${projectSchema('n.nspname', POLICY_SYSTEM_SCHEMAS)} and ${notFromExtension('c.oid', 'pg_class')}
    order by 1, 2, 3`;
}
