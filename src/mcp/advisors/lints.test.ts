import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cacheHitRatio, connectionsHigh, deadTuples, levelFor, transactionIdAge } from './health-database.ts';
import { cronJobFailing, webhookDeliveriesFailing } from './health-jobs.ts';
import { LINTS } from './run.ts';
import { DEFAULT_THRESHOLDS } from './thresholds.ts';
import type { Row } from '../../db/port.ts';
import { ADVISOR_TYPES, type LintDefinition, type LintLevel, type LintScope } from './types.ts';

const scope = (mode: LintScope['mode'] = 'server'): LintScope => ({ exposedSchemas: ['public'], mode, thresholds: DEFAULT_THRESHOLDS });

/** The level a row would be reported at, or 'none'. */
function fire(def: LintDefinition, row: Row): LintLevel | 'none' {
  const finding = def.finding(row, scope());
  return finding === undefined ? 'none' : (finding.level ?? def.level);
}

describe('the lint catalogue', () => {
  const all = ADVISOR_TYPES.flatMap((type) => LINTS[type].map((def) => ({ type, def })));

  it('names every lint once', () => {
    const names = all.map(({ def }) => def.name);
    assert.equal(new Set(names).size, names.length);
  });

  it('files each lint under its category', () => {
    for (const { type, def } of all) assert.deepEqual(def.categories, [type.toUpperCase()], def.name);
  });

  it("points each Supabase lint to Supabase's linter page under its own number and name, the others to a URL or an admin path", () => {
    for (const { def } of all) {
      const supabase = /^https:\/\/supabase\.com\/docs\/guides\/database\/database-linter\?lint=\d{4}_(\w+)$/.exec(def.remediation);
      if (supabase !== null) assert.equal(supabase[1], def.name);
      else assert.match(def.remediation, /^(https:\/\/www\.postgresql\.org\/docs\/current\/|\/(auth|jobs)\/v1\/)/, def.name);
    }
  });

  it('holds at least the lints Supabase clients look for', () => {
    const names = new Set(all.map(({ def }) => def.name));
    for (const n of ['rls_disabled_in_public', 'rls_enabled_no_policy', 'policy_exists_rls_disabled', 'security_definer_view', 'function_search_path_mutable', 'rls_references_user_metadata', 'auth_users_exposed', 'extension_in_public', 'materialized_view_in_api', 'foreign_table_in_api', 'unindexed_foreign_keys', 'duplicate_index', 'auth_rls_initplan', 'multiple_permissive_policies', 'no_primary_key', 'unused_index']) {
      assert.ok(names.has(n), n);
    }
  });
});

describe('levelFor', () => {
  const cases: Array<[number, LintLevel | undefined]> = [[0.5, undefined], [0.8, 'WARN'], [0.9, 'WARN'], [0.95, 'ERROR'], [1.2, 'ERROR']];
  for (const [value, level] of cases) it(`${value} against 0.8/0.95 → ${level ?? 'nothing'}`, () => assert.equal(levelFor(value, 0.8, 0.95), level));
});

describe('health thresholds, row by row (default thresholds)', () => {
  const cases: Array<[string, () => LintLevel | 'none', LintLevel | 'none']> = [
    ['79 of 100 connections', () => fire(connectionsHigh, { used: 79, max: 100 }), 'none'],
    ['85 of 100 connections', () => fire(connectionsHigh, { used: 85, max: 100 }), 'WARN'],
    ['97 of 100 connections', () => fire(connectionsHigh, { used: 97, max: 100 }), 'ERROR'],
    ['no connection left at all', () => fire(connectionsHigh, { used: 3, max: 0 }), 'ERROR'],
    ['connections are not counted on the embedded database', () => (connectionsHigh.query(scope('embedded')) === undefined ? 'none' : 'WARN'), 'none'],
    ['15% dead rows', () => fire(deadTuples, { schema: 'public', name: 't', live: 85_000, dead: 15_000, last_vacuum: null }), 'none'],
    ['30% dead rows', () => fire(deadTuples, { schema: 'public', name: 't', live: 70_000, dead: 30_000, last_vacuum: null }), 'INFO'],
    ['60% dead rows', () => fire(deadTuples, { schema: 'public', name: 't', live: 40_000, dead: 60_000, last_vacuum: null }), 'WARN'],
    ['a cache hit ratio of 95% over too few reads', () => fire(cacheHitRatio, { database: 'd', hit: 950, read: 50 }), 'none'],
    ['a cache hit ratio of 95%', () => fire(cacheHitRatio, { database: 'd', hit: 950_000, read: 50_000 }), 'WARN'],
    ['a cache hit ratio of 99.5%', () => fire(cacheHitRatio, { database: 'd', hit: 995_000, read: 5_000 }), 'none'],
    ['a transaction ID age of 200 million', () => fire(transactionIdAge, { database: 'd', age: 2e8 }), 'none'],
    ['a transaction ID age of 1.2 billion', () => fire(transactionIdAge, { database: 'd', age: 1.2e9 }), 'WARN'],
    ['a transaction ID age of 1.8 billion', () => fire(transactionIdAge, { database: 'd', age: 1.8e9 }), 'ERROR'],
    ['a webhook with dead deliveries', () => fire(webhookDeliveriesFailing, { webhook: 'w', dead: 1, retrying: 0, last_status: 500, last_error: null }), 'WARN'],
    ['a webhook only retrying', () => fire(webhookDeliveriesFailing, { webhook: 'w', dead: 0, retrying: 3, last_status: null, last_error: 'timeout' }), 'INFO'],
    ['a cron job failing now', () => fire(cronJobFailing, { jobid: 1, jobname: 'j', schedule: '* * * * *', failures: 2, runs: 5, last_failed: true, last_error: 'x' }), 'WARN'],
    ['a cron job that recovered', () => fire(cronJobFailing, { jobid: 1, jobname: null, schedule: '* * * * *', failures: 1, runs: 5, last_failed: false, last_error: 'x' }), 'INFO'],
  ];
  for (const [title, level, expected] of cases) it(`${title} → ${expected}`, () => assert.equal(level(), expected));

  it('cuts a long error message short in the detail', () => {
    const finding = cronJobFailing.finding({ jobid: 7, jobname: null, schedule: '0 * * * *', failures: 1, runs: 1, last_failed: true, last_error: 'e'.repeat(500) }, scope());
    assert.ok(finding);
    assert.match(finding.detail, /^Cron job #7 \(0 \* \* \* \*\) failed 1 of its 1 run\(s\) in the last 24 h, including the latest\. Last error: e{200}…$/);
    assert.equal(finding.metadata['last_error'], 'e'.repeat(500));
  });
});
