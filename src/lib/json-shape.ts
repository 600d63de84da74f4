// What a parsed JSON value holds that PostgreSQL and JSON.stringify cannot take: nesting
// past a limit (JSON.parse accepts any depth, JSON.stringify overflows the stack near a few
// thousand levels) and NUL characters (PostgreSQL's text and jsonb cannot store \u0000).

/**
 * The deepest JSON Groundwork accepts in a body (REST rows and arguments, Auth bodies):
 * far beyond real documents (tens of levels), far below what JSON.stringify and
 * PostgreSQL's jsonb parser take (thousands).
 */
export const JSON_MAX_DEPTH = 512;

export interface JsonShape {
  /** Levels of arrays and objects (0 for a scalar); counting stops at maxDepth + 1. */
  readonly depth: number;
  /** Some key or string value contains U+0000 (looked for only while depth ≤ maxDepth). */
  readonly nul: boolean;
}

/** Walks `value` with an explicit stack, so no input can overflow the call stack. */
export function jsonShape(value: unknown, maxDepth: number): JsonShape {
  let depth = 0;
  let nul = false;
  const stack: Array<readonly [unknown, number]> = [[value, 0]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [v, level] = next;
    if (typeof v === 'string') {
      if (!nul && v.includes('\u0000')) nul = true;
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    const here = level + 1;
    if (here > depth) depth = here;
    if (depth > maxDepth) return { depth, nul };
    if (Array.isArray(v)) {
      for (const item of v) stack.push([item, here]);
      continue;
    }
    for (const [k, item] of Object.entries(v)) {
      if (!nul && k.includes('\u0000')) nul = true;
      stack.push([item, here]);
    }
  }
  return { depth, nul };
}
