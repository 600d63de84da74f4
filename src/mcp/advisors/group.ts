// From findings to the answer: each finding completed with its lint's fixed texts into the
// Management API's lint, most severe first; then MCP 0.11's grouping, one entry per lint
// and level with a `count` and the findings' `detail` and `metadata` (no `cache_key`, which
// only the dashboard uses).
import type { Finding, Lint, LintDefinition, LintGroup, LintLevel } from './types.ts';

const SEVERITY: Record<LintLevel, number> = { ERROR: 0, WARN: 1, INFO: 2 };

export function toLint(def: LintDefinition, finding: Finding): Lint {
  return {
    name: def.name,
    title: def.title,
    level: finding.level ?? def.level,
    facing: 'EXTERNAL',
    categories: def.categories,
    description: def.description,
    detail: finding.detail,
    remediation: def.remediation,
    metadata: finding.metadata,
    cache_key: [def.name, ...finding.key].join('_'),
  };
}

/** Most severe first; otherwise the order the lints were found in (stable). */
export function bySeverity(lints: readonly Lint[]): Lint[] {
  return [...lints].sort((a, b) => SEVERITY[a.level] - SEVERITY[b.level]);
}

/** One group per lint name and level, in first-seen order. */
export function groupLints(lints: readonly Lint[]): LintGroup[] {
  const groups = new Map<string, { group: Omit<LintGroup, 'count' | 'findings'>; findings: Array<LintGroup['findings'][number]> }>();
  for (const lint of lints) {
    const key = `${lint.name}\u0000${lint.level}`;
    let entry = groups.get(key);
    if (entry === undefined) {
      const { name, title, level, facing, categories, description, remediation } = lint;
      entry = { group: { name, title, level, facing, categories, description, remediation }, findings: [] };
      groups.set(key, entry);
    }
    entry.findings.push({ detail: lint.detail, metadata: lint.metadata });
  }
  return [...groups.values()].map(({ group, findings }) => ({ ...group, count: findings.length, findings }));
}
