// Delivery of one batch of changes: the candidates (a change × a channel whose bindings
// matched it) are checked for visibility in one statement, as each subscriber, then sent in
// change order. Only RLS tables are checked, and not for DELETE (the row is gone; only its
// key is sent), nor a change whose key the role cannot read (Supabase's "Error 401" payload).
// As on Supabase, the check reads the row as it is now: a row deleted since is not shown. A subscriber
// whose check fails gets a system error; the others are not held up.
import type { Database } from '../../db/port.ts';
import { encodeFanout } from '../protocol/frames.ts';
import { changePayload, type ChangeRow } from './payload.ts';
import type { PlannedBinding } from './plan.ts';
import type { PublishedTable } from './tables.ts';
import type { ChangeSink } from './types.ts';
import { checkStatement, keyText, visibilityQuery, type Check } from './visibility.ts';

export interface Candidate {
  readonly change: ChangeRow;
  readonly table: PublishedTable;
  readonly sink: ChangeSink;
  readonly bindings: readonly PlannedBinding[];
}

interface TablePlan {
  readonly query: string;
  readonly keys: string[];
  readonly positions: Map<string, number>;
  readonly checks: Check[];
  readonly byIdentity: Map<string, number>;
}

interface DeliveryFacts {
  readonly ids: readonly number[];
  readonly select: ReadonlySet<string> | undefined;
  /** Ids and columns as one string: equal keys, equal payloads. */
  readonly key: string;
}

const facts = new WeakMap<readonly PlannedBinding[], DeliveryFacts>();

/** What a list of matched bindings puts in a payload, kept per list (a sink's list is reused). */
function factsOf(bindings: readonly PlannedBinding[]): DeliveryFacts {
  let f = facts.get(bindings);
  if (f === undefined) {
    const ids = [...new Set(bindings.map((b) => b.id))];
    const columns = bindings.some((b) => b.select === undefined) ? undefined : [...new Set(bindings.flatMap((b) => [...(b.select ?? [])]))].sort();
    f = { ids, select: columns === undefined ? undefined : new Set(columns), key: `${ids.join(',')}\u0000${columns?.join(',') ?? '*'}` };
    facts.set(bindings, f);
  }
  return f;
}

type Answer = { readonly visible: ReadonlySet<number> } | { readonly error: string };

export async function deliverChanges(db: Database, candidates: readonly Candidate[], readable: (role: string, relid: string) => ReadonlySet<string>): Promise<void> {
  const tables = new Map<string, TablePlan>();
  const checked = new Map<Candidate, { k: number; position: number }>();
  let nextK = 0;
  for (const c of candidates) {
    const { role, claims } = c.sink.caller();
    const cols = readable(role, c.table.relid);
    // Without RLS, reading the key columns is all it takes: no row to look up (a row deleted
    // since would otherwise hide its own INSERT).
    if (!c.table.rls || c.change.op === 'DELETE' || c.table.primaryKey.length === 0 || !c.table.primaryKey.every((k) => cols.has(k))) continue;
    let plan = tables.get(c.table.relid);
    if (plan === undefined) {
      plan = { query: visibilityQuery(c.table), keys: [], positions: new Map(), checks: [], byIdentity: new Map() };
      tables.set(c.table.relid, plan);
    }
    let position = plan.positions.get(c.change.id);
    if (position === undefined) {
      plan.keys.push(keyText(c.table, c.change.record ?? {}));
      plan.positions.set(c.change.id, (position = plan.keys.length));
    }
    // Subscribers with the same role and claims share one check.
    const identity = c.sink.identity();
    let k = plan.byIdentity.get(identity);
    if (k === undefined) {
      plan.checks.push({ k: (k = nextK++), role, claims: JSON.stringify(claims) });
      plan.byIdentity.set(identity, k);
    }
    checked.set(c, { k, position });
  }

  const answers = new Map<number, Answer>();
  if (tables.size > 0) {
    const statement = checkStatement([...tables.values()]);
    const { rows } = await db.transaction((tx) => tx.query<{ k: number; visible: number[] | null; error: string | null }>(statement), { rollback: true });
    for (const r of rows) answers.set(r.k, r.error !== null ? { error: r.error } : { visible: new Set(r.visible ?? []) });
  }

  const warned = new Set<ChangeSink>();
  const encoded = new Map<string, string>();
  for (const c of candidates) {
    const check = checked.get(c);
    if (check !== undefined) {
      const answer = answers.get(check.k);
      if (answer === undefined || 'error' in answer) {
        if (!warned.has(c.sink)) c.sink.system('postgres_changes', 'error', `Error checking the row's visibility: ${answer?.error ?? 'no answer'}`);
        warned.add(c.sink);
        continue;
      }
      if (!answer.visible.has(check.position)) continue;
    }
    // Subscribers of one role with the same bindings get the same payload: encoded once.
    const role = c.sink.caller().role;
    const facts = factsOf(c.bindings);
    const cacheKey = `${c.change.id}\u0000${role}\u0000${facts.key}`;
    let json = encoded.get(cacheKey);
    if (json === undefined) {
      json = JSON.stringify(changePayload(c.table, c.change, readable(role, c.table.relid), facts.select, facts.ids));
      encoded.set(cacheKey, json);
    }
    c.sink.sendText(encodeFanout(c.sink.vsn, c.sink.topic, 'postgres_changes', json));
  }
}
