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
import { checkStatement, visibilityQuery, type Check } from './visibility.ts';

export interface Candidate {
  readonly change: ChangeRow;
  readonly table: PublishedTable;
  readonly sink: ChangeSink;
  readonly bindings: readonly PlannedBinding[];
}

interface Group {
  readonly check: Check & { keys: Record<string, unknown>[] };
  readonly positions: Map<string, number>;
}

type Answer = { readonly visible: ReadonlySet<number> } | { readonly error: string };

function keyOf(change: ChangeRow, table: PublishedTable): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of table.primaryKey) out[c] = change.record?.[c] ?? null;
  return out;
}

export async function deliverChanges(db: Database, candidates: readonly Candidate[], readable: (role: string, relid: string) => ReadonlySet<string>): Promise<void> {
  const queries: string[] = [];
  const queryOf = new Map<string, number>();
  const groups = new Map<string, Group>();
  const groupOf = new Map<Candidate, { group: Group; position: number }>();
  for (const c of candidates) {
    const { role, claims } = c.sink.caller();
    const cols = readable(role, c.table.relid);
    // Without RLS, reading the key columns is all it takes: no row to look up (a row deleted
    // since would otherwise hide its own INSERT).
    if (!c.table.rls || c.change.op === 'DELETE' || c.table.primaryKey.length === 0 || !c.table.primaryKey.every((k) => cols.has(k))) continue;
    let q = queryOf.get(c.table.relid);
    if (q === undefined) {
      queries.push(visibilityQuery(c.table));
      queryOf.set(c.table.relid, (q = queries.length));
    }
    const claimsJson = JSON.stringify(claims);
    const identity = `${c.table.relid}\u0000${role}\u0000${claimsJson}`;
    let group = groups.get(identity);
    if (group === undefined) {
      group = { check: { k: groups.size, q, role, claims: claimsJson, keys: [] }, positions: new Map() };
      groups.set(identity, group);
    }
    let position = group.positions.get(c.change.id);
    if (position === undefined) {
      group.check.keys.push(keyOf(c.change, c.table));
      group.positions.set(c.change.id, (position = group.check.keys.length));
    }
    groupOf.set(c, { group, position });
  }

  const answers = new Map<number, Answer>();
  if (groups.size > 0) {
    const checks = [...groups.values()].map((g) => g.check);
    const { rows } = await db.transaction((tx) => tx.query<{ k: number; visible: number[] | null; error: string | null }>(checkStatement(queries, checks)), { rollback: true });
    for (const r of rows) answers.set(r.k, r.error !== null ? { error: r.error } : { visible: new Set(r.visible ?? []) });
  }

  const warned = new Set<ChangeSink>();
  for (const c of candidates) {
    const checked = groupOf.get(c);
    if (checked !== undefined) {
      const answer = answers.get(checked.group.check.k);
      if (answer === undefined || 'error' in answer) {
        if (!warned.has(c.sink)) c.sink.system('postgres_changes', 'error', `Error checking the row's visibility: ${answer?.error ?? 'no answer'}`);
        warned.add(c.sink);
        continue;
      }
      if (!answer.visible.has(checked.position)) continue;
    }
    const select = c.bindings.some((b) => b.select === undefined) ? undefined : new Set(c.bindings.flatMap((b) => [...(b.select ?? [])]));
    const payload = changePayload(c.table, c.change, readable(c.sink.caller().role, c.table.relid), select, [...new Set(c.bindings.map((b) => b.id))]);
    c.sink.send(fanoutFrame(c.sink.topic, 'postgres_changes', payload));
  }
}
