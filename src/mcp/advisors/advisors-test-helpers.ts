// What the advisors' database tests share: a case is setup SQL in a schema of its own, and
// the findings it must produce there, each named `lint:object[:policy|index|role:action]`.
import assert from 'node:assert/strict';
import type { Database } from '../../db/port.ts';
import { listLints } from './run.ts';
import type { AdvisorType, Lint } from './types.ts';

export interface LintCase {
  readonly title: string;
  /** Trusted SQL run in the case's schema `s` (created empty, dropped afterwards). */
  readonly setup: (s: string) => string;
  readonly expected: readonly string[];
  /** Whether the case's schema is one the API exposes (default true). */
  readonly exposed?: boolean;
  /** Findings are read in this schema instead of the case's own (objects made elsewhere). */
  readonly findIn?: string;
  /** More schemas to expose. */
  readonly alsoExposed?: readonly string[];
  /** Work after the setup that needs the port (a transaction with settings…). */
  readonly afterSetup?: (db: Database, s: string) => Promise<void>;
  /** Undoes what the schema's drop does not (objects moved or made outside it). */
  readonly teardown?: (s: string) => string;
}

/** A finding's name in the cases: lint, object, and the facts that tell two findings on one object apart. */
export function label(l: Lint): string {
  const m = l.metadata;
  return [l.name, m.name, m['policy'], m['index'], m['role'], m['action']].filter((x): x is string => typeof x === 'string').join(':');
}

export async function runCase(db: Database, type: AdvisorType, c: LintCase, n: number): Promise<void> {
  const s = `adv_case_${n}`;
  await db.script(`create schema ${s}`);
  try {
    await db.script(c.setup(s));
    await c.afterSetup?.(db, s);
    const exposed = [...(c.exposed === false ? [] : [s]), ...(c.alsoExposed ?? [])];
    const { lints } = await listLints(db, type, { exposedSchemas: exposed });
    const found = lints.filter((l) => l.metadata.schema === (c.findIn ?? s)).map(label);
    assert.deepEqual(found.sort(), [...c.expected].sort(), c.title);
  } finally {
    await db.script(`${c.teardown?.(s) ?? ''};\ndrop schema ${s} cascade;`);
  }
}
