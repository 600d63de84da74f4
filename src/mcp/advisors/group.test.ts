import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from '../../lib/sql.ts';
import { bySeverity, groupLints, toLint } from './group.ts';
import { defineLint, type Lint, type LintLevel } from './types.ts';

const def = defineLint<{ t: string }>({
  name: 'no_primary_key',
  title: 'No Primary Key',
  level: 'INFO',
  categories: ['PERFORMANCE'],
  description: 'Detects tables without a primary key.',
  remediation: 'https://supabase.com/docs/guides/database/database-linter?lint=0004_no_primary_key',
  query: () => sql`select 1`,
  finding: (row) => ({ detail: `Table \`public.${row.t}\` does not have a primary key`, metadata: { schema: 'public', name: row.t, type: 'table' }, key: ['public', row.t] }),
});

function lint(name: string, level: LintLevel, detail: string): Lint {
  return { name, title: name, level, facing: 'EXTERNAL', categories: ['SECURITY'], description: 'd', detail, remediation: 'r', metadata: { name: detail }, cache_key: `${name}_${detail}` };
}

describe('toLint', () => {
  it("completes a finding with the lint's texts, in the Management API's shape", () => {
    const scope = { exposedSchemas: ['public'], mode: 'embedded' as const, thresholds: {} as never };
    const finding = def.finding({ t: 'notes' }, scope);
    assert.ok(finding);
    assert.deepEqual(toLint(def, finding), {
      name: 'no_primary_key',
      title: 'No Primary Key',
      level: 'INFO',
      facing: 'EXTERNAL',
      categories: ['PERFORMANCE'],
      description: 'Detects tables without a primary key.',
      detail: 'Table `public.notes` does not have a primary key',
      remediation: 'https://supabase.com/docs/guides/database/database-linter?lint=0004_no_primary_key',
      metadata: { schema: 'public', name: 'notes', type: 'table' },
      cache_key: 'no_primary_key_public_notes',
    });
  });

  it("takes the finding's own level when it has one", () => {
    assert.equal(toLint(def, { detail: 'x', metadata: {}, key: [], level: 'ERROR' }).level, 'ERROR');
  });
});

describe('bySeverity', () => {
  it('puts ERROR before WARN before INFO and keeps the order within a level', () => {
    const sorted = bySeverity([lint('a', 'INFO', '1'), lint('b', 'WARN', '2'), lint('c', 'ERROR', '3'), lint('d', 'WARN', '4')]);
    assert.deepEqual(sorted.map((l) => l.name), ['c', 'b', 'd', 'a']);
  });
});

describe('groupLints (MCP 0.11)', () => {
  it('collapses findings of one lint into one entry with a count, dropping cache_key', () => {
    assert.deepEqual(groupLints([lint('rls_disabled_in_public', 'ERROR', 'a'), lint('rls_disabled_in_public', 'ERROR', 'b')]), [
      {
        name: 'rls_disabled_in_public',
        title: 'rls_disabled_in_public',
        level: 'ERROR',
        facing: 'EXTERNAL',
        categories: ['SECURITY'],
        description: 'd',
        remediation: 'r',
        count: 2,
        findings: [
          { detail: 'a', metadata: { name: 'a' } },
          { detail: 'b', metadata: { name: 'b' } },
        ],
      },
    ]);
  });

  const cases: Array<[string, Lint[], Array<[string, LintLevel, number]>]> = [
    ['nothing', [], []],
    ['first-seen order', [lint('x', 'WARN', '1'), lint('y', 'WARN', '2'), lint('x', 'WARN', '3')], [['x', 'WARN', 2], ['y', 'WARN', 1]]],
    ['one name at two levels stays apart', [lint('cron_job_failing', 'WARN', '1'), lint('cron_job_failing', 'INFO', '2')], [['cron_job_failing', 'WARN', 1], ['cron_job_failing', 'INFO', 1]]],
  ];
  for (const [title, input, expected] of cases) {
    it(title, () => assert.deepEqual(groupLints(input).map((g) => [g.name, g.level, g.count]), expected));
  }
});
