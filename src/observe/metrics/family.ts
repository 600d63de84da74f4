// The API family a request went to, from its URL's first segments: the one label requests
// are counted by (metrics) and a span attribute (traces). A fixed set, so a client cannot
// grow the label's values by asking for made-up paths. Pure.

export const FAMILIES = ['rest', 'auth', 'realtime', 'functions', 'jobs', 'mcp', 'metrics', 'health', 'other'] as const;
export type RouteFamily = (typeof FAMILIES)[number];

const PREFIXES: ReadonlyArray<readonly [string, RouteFamily]> = [
  ['/rest/v1', 'rest'],
  ['/auth/v1', 'auth'],
  ['/realtime/v1', 'realtime'],
  ['/functions/v1', 'functions'],
  ['/jobs/v1', 'jobs'],
  ['/mcp', 'mcp'],
  ['/metrics', 'metrics'],
  ['/health', 'health'],
];

/** `url` as the request line gave it (path and query). */
export function routeFamily(url: string | undefined): RouteFamily {
  if (url === undefined) return 'other';
  for (const [prefix, family] of PREFIXES) {
    if (url.startsWith(prefix)) {
      const next = url.charCodeAt(prefix.length);
      // The prefix is the whole first segment(s): end, `/` or `?` follows (NaN: the end).
      if (Number.isNaN(next) || next === 47 || next === 63) return family;
    }
  }
  return 'other';
}
