// What a JSON text holds that JSON.stringify and PostgreSQL cannot take: nesting past a
// limit (JSON.parse accepts any depth, JSON.stringify overflows the stack near a few thousand
// levels) and NUL characters (PostgreSQL's text and jsonb cannot store \u0000).

/**
 * The deepest JSON Groundwork accepts in a body (REST rows and arguments, Auth bodies):
 * far beyond real documents (tens of levels), far below what JSON.stringify and
 * PostgreSQL's jsonb parser take (thousands).
 */
export const JSON_MAX_DEPTH = 512;

export interface JsonShape {
  /** Levels of arrays and objects (0 for a scalar); the scan stops at maxDepth + 1. */
  readonly depth: number;
  /** Some key or string value holds \u0000 (looked for only while depth ≤ maxDepth). */
  readonly nul: boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const U = 0x75;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;

/**
 * Scans a text JSON.parse has accepted, once and without recursion or allocation, so it
 * costs a fraction of the parse and no input can overflow the stack. (Valid JSON holds no
 * raw control characters, so a NUL can only be the escape \u0000.)
 */
export function jsonShape(text: string, maxDepth: number): JsonShape {
  let depth = 0;
  let deepest = 0;
  let nul = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === QUOTE) break;
        if (s === BACKSLASH) {
          if (text.charCodeAt(i + 1) === U && text.startsWith('0000', i + 2)) nul = true;
          i++;
        }
      }
    } else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (++depth > deepest && (deepest = depth) > maxDepth) break;
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      depth--;
    }
  }
  return { depth: deepest, nul };
}
