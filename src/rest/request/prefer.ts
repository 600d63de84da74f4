// The Prefer header (RFC 7240, as PostgREST reads it): all Prefer headers joined, split on
// commas, each token compared exactly; for each kind the first recognised token wins;
// anything else is "invalid" (an error only with handling=strict).

export interface Preferences {
  readonly return: 'minimal' | 'headers-only' | 'representation' | undefined;
  readonly count: 'exact' | 'planned' | 'estimated' | undefined;
  readonly resolution: 'merge-duplicates' | 'ignore-duplicates' | undefined;
  readonly missing: 'default' | 'null' | undefined;
  readonly handling: 'lenient' | 'strict' | undefined;
  readonly timezone: string | undefined;
  readonly maxAffected: number | undefined;
  readonly tx: 'commit' | 'rollback' | undefined;
  readonly invalid: readonly string[];
}

const KINDS = {
  return: ['minimal', 'headers-only', 'representation'],
  count: ['exact', 'planned', 'estimated'],
  resolution: ['merge-duplicates', 'ignore-duplicates'],
  missing: ['default', 'null'],
  handling: ['lenient', 'strict'],
  tx: ['commit', 'rollback'],
} as const;

export function parsePrefer(header: string | readonly string[] | undefined): Preferences {
  const tokens = (typeof header === 'string' ? [header] : (header ?? []))
    .join(',')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const found: Record<string, string | number | undefined> = {};
  const invalid: string[] = [];
  for (const token of tokens) {
    const eq = token.indexOf('=');
    const key = eq < 0 ? token : token.slice(0, eq);
    const value = eq < 0 ? '' : token.slice(eq + 1);
    const allowed = (KINDS as Record<string, readonly string[]>)[key];
    if (allowed?.includes(value)) {
      found[key] ??= value;
    } else if (key === 'timezone' && value !== '') {
      found['timezone'] ??= value;
    } else if (key === 'max-affected' && /^\d+$/.test(value)) {
      found['maxAffected'] ??= Number(value);
    } else {
      invalid.push(token);
    }
  }
  return {
    return: found['return'] as Preferences['return'],
    count: found['count'] as Preferences['count'],
    resolution: found['resolution'] as Preferences['resolution'],
    missing: found['missing'] as Preferences['missing'],
    handling: found['handling'] as Preferences['handling'],
    timezone: found['timezone'] as string | undefined,
    maxAffected: found['maxAffected'] as number | undefined,
    tx: found['tx'] as Preferences['tx'],
    invalid,
  };
}
