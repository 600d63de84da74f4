// Delivery of one batch of changes: the candidates (a change × a channel whose bindings
// matched it) are checked for visibility in one statement, as each subscriber, then sent in
// change order. Only RLS tables are checked, and not for DELETE (the row is gone; only its
// key is sent), nor a change whose key the role cannot read (Supabase's "Error 401" payload).
// As on Supabase, the check reads the row as it is now: a row deleted since is not shown. A subscriber
// whose check fails gets a system error; the others are not held up.
import type { Database } from '../../db/port.ts';
import { fanoutFrame } from '../protocol/replies.ts';
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
    const claimsJson = JSON.stringify(claims);
    const identity = `${role}\u0000${claimsJson}`;
    let k = plan.byIdentity.get(identity);
    if (k === undefined) {
      plan.checks.push({ k: (k = nextK++), role, claims: claimsJson });
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
    const select = c.bindings.some((b) => b.select === undefined) ? undefined : new Set(c.bindings.flatMap((b) => [...(b.select ?? [])]));
    const payload = changePayload(c.table, c.change, readable(c.sink.caller().role, c.table.relid), select, [...new Set(c.bindings.map((b) => b.id))]);
    c.sink.send(fanoutFrame(c.sink.topic, 'postgres_changes', payload));
  }
}
