// Limits on what one REST request may ask for (README "Limits"). Each keeps recursion in
// the parser, planner and SQL builder shallow and stays well inside what PostgreSQL (and
// PGlite, whose stack is smaller) accepts, so input past them is a 400, never a 500.
import { JSON_MAX_DEPTH } from '../../lib/json-shape.ts';

export const REST_LIMITS = {
  /** Levels of `or`/`and` (and `not.`) trees; PGlite fails near 1,500. */
  logicDepth: 100,
  /** Levels of embedded resources (and spreads) in `select`; PGlite fails near 400. */
  embedDepth: 100,
  /** `->` / `->>` steps of one JSON path; PGlite fails near 1,500. */
  jsonPathSteps: 100,
  /** Output columns of one level of a select: PostgreSQL's target-list limit. */
  columns: 1664,
  /** Nesting of a JSON body: arrays and objects, the rows themselves included. */
  jsonDepth: JSON_MAX_DEPTH,
} as const;
