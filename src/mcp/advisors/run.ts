// The advisors behind the MCP tool `get_advisors`: every lint of one type runs its catalog
// query, all in one read-only transaction and one round trip (Database.pipeline), with an
// empty search_path so deparsed policy expressions name every schema. Rows become findings,
// findings become Supabase-shaped lints, most severe first, grouped as MCP 0.11 answers.
import type { Database } from '../../db/port.ts';
import type { Sql } from '../../lib/sql.ts';
import { bySeverity, groupLints, toLint } from './group.ts';
import { healthDatabaseLints } from './health-database.ts';
import { healthJobLints } from './health-jobs.ts';
import { metricsFrom, metricsQuery } from './health-metrics.ts';
import { performanceIndexLints } from './performance-indexes.ts';
import { performancePolicyLints } from './performance-policies.ts';
import { securityObjectLints } from './security-objects.ts';
import { securityRlsLints } from './security-rls.ts';
import { DEFAULT_THRESHOLDS, type HealthThresholds } from './thresholds.ts';
import type { AdvisorResult, AdvisorType, HealthMetrics, Lint, LintDefinition, LintScope } from './types.ts';

export const LINTS: Readonly<Record<AdvisorType, readonly LintDefinition[]>> = {
  security: [...securityRlsLints, ...securityObjectLints],
  performance: [...performanceIndexLints, ...performancePolicyLints],
  health: [...healthDatabaseLints, ...healthJobLints],
};

export interface AdvisorOptions {
  /** The REST API's exposed schemas (config `dbSchemas`): the lints about exposed objects look there. */
  readonly exposedSchemas: readonly string[];
  /** Health thresholds to override (tests make every check fire with them). */
  readonly thresholds?: Partial<HealthThresholds>;
}

/**
 * The findings of one advisor type as flat lints (the Management API's `{ lints }`), plus the
 * health metrics. `db` should be the admin connection: the catalogs and other sessions'
 * activity are only fully visible to a superuser (or pg_read_all_stats).
 */
export async function listLints(db: Database, type: AdvisorType, options: AdvisorOptions): Promise<{ lints: Lint[]; metrics?: HealthMetrics }> {
  const scope: LintScope = { exposedSchemas: options.exposedSchemas, mode: db.mode, thresholds: { ...DEFAULT_THRESHOLDS, ...options.thresholds } };
  const planned = LINTS[type].flatMap((def) => {
    const query = def.query(scope);
    return query === undefined ? [] : [{ def, query }];
  });
  const statements: Sql[] = planned.map((p) => p.query);
  if (type === 'health') statements.push(metricsQuery(scope));
  const results = await db.pipeline(statements, { readOnly: true, settings: [['search_path', '']] });
  const lints = planned.flatMap(({ def }, i) =>
    (results[i]?.rows ?? []).flatMap((row) => {
      const finding = def.finding(row, scope);
      return finding === undefined ? [] : [toLint(def, finding)];
    }),
  );
  const sorted = bySeverity(lints);
  if (type !== 'health') return { lints: sorted };
  return { lints: sorted, metrics: metricsFrom(results[planned.length]?.rows ?? []) };
}

/** `get_advisors`' result: the lints grouped by name and level with a `count` (MCP 0.11), and for health the metrics. */
export async function runAdvisors(db: Database, type: AdvisorType, options: AdvisorOptions): Promise<AdvisorResult> {
  const { lints, metrics } = await listLints(db, type, options);
  return metrics === undefined ? { lints: groupLints(lints) } : { lints: groupLints(lints), metrics };
}
