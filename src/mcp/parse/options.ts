// A session's options from the /mcp URL's query, as Supabase's hosted server reads them:
// `read_only=true|false` and `features=docs,database,…`. The server-wide read-only setting
// wins over the query. Pure; tested with a table.
import { FEATURE_GROUPS, type FeatureGroup } from '../tools/types.ts';

export interface McpOptions {
  readonly readOnly: boolean;
  readonly features: ReadonlySet<FeatureGroup>;
}

export type OptionsProblem = { readonly problem: { readonly name: string; readonly message: string } };

const ALIASES: Readonly<Record<string, FeatureGroup>> = { debug: 'debugging' };

export function parseOptions(query: Readonly<Record<string, unknown>>, forcedReadOnly: boolean): McpOptions | OptionsProblem {
  const readOnly = query['read_only'];
  if (readOnly !== undefined && readOnly !== 'true' && readOnly !== 'false') return { problem: { name: 'read_only', message: 'must be true or false' } };
  const features = query['features'];
  let groups: Set<FeatureGroup> = new Set(FEATURE_GROUPS);
  if (features !== undefined) {
    if (typeof features !== 'string') return { problem: { name: 'features', message: 'must be given once, as a comma-separated list' } };
    groups = new Set();
    for (const raw of features.split(',').map((f) => f.trim().toLowerCase()).filter((f) => f !== '')) {
      const group = ALIASES[raw] ?? (FEATURE_GROUPS as readonly string[]).find((g) => g === raw);
      if (group === undefined) return { problem: { name: 'features', message: `unknown feature group "${raw}"; this server offers ${FEATURE_GROUPS.join(', ')}` } };
      groups.add(group as FeatureGroup);
    }
  }
  return { readOnly: forcedReadOnly || readOnly === 'true', features: groups };
}
