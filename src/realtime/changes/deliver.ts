// Delivery of one batch of changes: the candidates (a change × a channel whose bindings
// matched it) are checked for visibility in one statement, as each subscriber; what passed
// is then sent in change order, a step of its own. Only RLS tables are checked, and not for
// DELETE (the row is gone; only its key is sent), nor a change whose key the role cannot
// read (Supabase's "Error 401" payload). As on Supabase, the check reads the row as it is
// now: a row deleted since is not shown. A subscriber whose check fails gets a system
// error; the others are not held up.
import type { Database } from '../../db/port.ts';
import { encodeFanout } from '../protocol/frames.ts';
import { changePayload, type ChangeRow } from './payload.ts';
import type { PlannedBinding } from './plan.ts';
import type { PublishedTable } from './tables.ts';
import type { ChangeSink } from './types.ts';
import { checkStatement, keyText, visibilityQuery, visiblePositions, type Check } from './visibility.ts';

export interface Candidate {
  readonly change: ChangeRow;
  readonly table: PublishedTable;
  readonly sink: ChangeSink;
  readonly bindings: readonly PlannedBinding[];
}

interface TablePlan {
  readonly table: PublishedTable;
  readonly query: string;
  readonly keys: string[];
  /** Key text → its 1-based position in keys: a key changed twice in a batch is checked once. */
  readonly positions: Map<string, number>;
  readonly checks: Check[];
  readonly byIdentity: Map<string, number>;
}

interface DeliveryFacts {
  readonly ids: readonly number[];
  readonly select: ReadonlySet<string> | undefined;
  /** Per role, a key for (role, ids, columns): equal keys, equal payloads. */
  readonly kinds: Map<string, string>;
}

const facts = new WeakMap<readonly PlannedBinding[], DeliveryFacts>();

/** What a list of matched bindings puts in a payload, kept per list (a sink's list is reused). */
function factsOf(bindings: readonly PlannedBinding[]): DeliveryFacts {
  let f = facts.get(bindings);
  if (f === undefined) {
    const ids = [...new Set(bindings.map((b) => b.id))];
    const columns = bindings.some((b) => b.select === undefined) ? undefined : [...new Set(bindings.flatMap((b) => [...(b.select ?? [])]))].sort();
    f = { ids, select: columns === undefined ? undefined : new Set(columns), kinds: new Map() };
    facts.set(bindings, f);
  }
  return f;
}

/** The payload kind of a role and a list's facts, made once per list and role (a kept string hashes once). */
function kindOf(f: DeliveryFacts, role: string): string {
  let kind = f.kinds.get(role);
  if (kind === undefined) {
    kind = `${role}\u0000${f.ids.join(',')}\u0000${f.select === undefined ? '*' : [...f.select].join(',')}`;
    f.kinds.set(role, kind);
  }
  return kind;
}

/** A change's key text, made once per change (many subscribers share it). */
const keys = new WeakMap<ChangeRow, string>();
function keyOf(change: ChangeRow, table: PublishedTable): string {
  let key = keys.get(change);
  if (key === undefined) keys.set(change, (key = keyText(table, change.record ?? {})));
  return key;
}

type Answer = { readonly visible: ReadonlySet<number> } | { readonly error: string };

/** Frames sent before the event loop gets a turn: the database's replies wait on this thread. */
const FRAMES_PER_TURN = 2000;
const NOT_CHECKED = -1;

/**
 * Checks a batch's candidates as their subscribers (the database's part), and resolves to
 * the step that sends what passed, in change order (this thread's part): the feed checks
 * the next batch while this one is sent.
 */
export async function checkChanges(db: Database, candidates: readonly Candidate[], readable: (role: string, relid: string) => ReadonlySet<string>): Promise<() => Promise<void>> {
  const tables = new Map<string, TablePlan>();
  // Per candidate (by index): its check's number and its row's position in that check.
  const ks = new Int32Array(candidates.length).fill(NOT_CHECKED);
  const positions = new Int32Array(candidates.length);
  const planOf: TablePlan[] = [];
  let nextK = 0;
  candidates.forEach((c, i) => {
    const { role, claims } = c.sink.caller();
    const cols = readable(role, c.table.relid);
    // Without RLS, reading the key columns is all it takes: no row to look up (a row deleted
    // since would otherwise hide its own INSERT).
    if (!c.table.rls || c.change.op === 'DELETE' || c.table.primaryKey.length === 0 || !c.table.primaryKey.every((k) => cols.has(k))) return;
    let plan = tables.get(c.table.relid);
    if (plan === undefined) {
      plan = { table: c.table, query: visibilityQuery(c.table), keys: [], positions: new Map(), checks: [], byIdentity: new Map() };
      tables.set(c.table.relid, plan);
    }
    const key = keyOf(c.change, c.table);
    let position = plan.positions.get(key);
    if (position === undefined) {
      plan.keys.push(key);
      plan.positions.set(key, (position = plan.keys.length));
    }
    // Subscribers with the same role and claims share one check.
    const identity = c.sink.identity();
    let k = plan.byIdentity.get(identity);
    if (k === undefined) {
      plan.checks.push({ k: (k = nextK++), role, claims: JSON.stringify(claims) });
      plan.byIdentity.set(identity, k);
      planOf[k] = plan;
    }
    ks[i] = k;
    positions[i] = position;
  });

  const answers: Array<Answer | undefined> = [];
  if (tables.size > 0) {
    const statement = checkStatement([...tables.values()]);
    const [result] = await db.pipeline([statement], { rollback: true });
    const rows = (result?.rows ?? []) as Array<{ k: number; visible: unknown[] | null; error: string | null }>;
    for (const r of rows) {
      const plan = planOf[r.k];
      if (plan !== undefined) answers[r.k] = r.error !== null ? { error: r.error } : { visible: visiblePositions(plan.table, plan.positions, r.visible ?? []) };
    }
  }

  return () => sendChecked(candidates, ks, positions, answers, readable);
}

async function sendChecked(
  candidates: readonly Candidate[],
  ks: Int32Array,
  positions: Int32Array,
  answers: ReadonlyArray<Answer | undefined>,
  readable: (role: string, relid: string) => ReadonlySet<string>,
): Promise<void> {
  const warned = new Set<ChangeSink>();
  // Candidates come change by change: a change's payloads are kept until the next change.
  let change: ChangeRow | undefined;
  const encoded = new Map<string, string>();
  let sent = 0;
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i] as Candidate;
    const k = ks[i] as number;
    if (k !== NOT_CHECKED) {
      const answer = answers[k];
      if (answer === undefined || 'error' in answer) {
        if (!warned.has(c.sink)) c.sink.system('postgres_changes', 'error', `Error checking the row's visibility: ${answer?.error ?? 'no answer'}`);
        warned.add(c.sink);
        continue;
      }
      if (!answer.visible.has(positions[i] as number)) continue;
    }
    if (c.change !== change) {
      change = c.change;
      encoded.clear();
    }
    // Subscribers of one role with the same bindings get the same payload: encoded once.
    const role = c.sink.caller().role;
    const f = factsOf(c.bindings);
    const kind = kindOf(f, role);
    let json = encoded.get(kind);
    if (json === undefined) {
      json = JSON.stringify(changePayload(c.table, c.change, readable(role, c.table.relid), f.select, f.ids));
      encoded.set(kind, json);
    }
    c.sink.sendText(encodeFanout(c.sink.vsn, c.sink.topic, 'postgres_changes', json));
    if (++sent % FRAMES_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
  }
}
