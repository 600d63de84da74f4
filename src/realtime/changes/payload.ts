// The `postgres_changes` payload one subscriber receives (realtime.md §5.1, §5.4): the
// columns its role may read (narrowed by its `select`), INSERT without `old_record`,
// DELETE without `record`, old rows reduced to the primary key unless the table has
// REPLICA IDENTITY FULL (and always on RLS tables for DELETE), and Supabase's errors for a
// table without a readable key or a record over 1 MiB. Pure.
import type { JsonObject } from '../protocol/frames.ts';
import type { PublishedTable } from './tables.ts';

export type ChangeOp = 'INSERT' | 'UPDATE' | 'DELETE';

export interface ChangeRow {
  readonly id: string;
  readonly xid: string;
  readonly relid: string;
  readonly op: ChangeOp;
  readonly record: Readonly<Record<string, unknown>> | null;
  readonly oldRecord: Readonly<Record<string, unknown>> | null;
  /** `YYYY-MM-DDTHH:MM:SS.mmmZ`. */
  readonly at: string;
}

const MAX_RECORD_BYTES = 1024 * 1024;
const KEPT_VALUE_BYTES = 64;

function pick(row: Readonly<Record<string, unknown>>, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const n of names) if (n in row) out[n] = row[n];
  return out;
}

/** Over the limit, values longer than 64 bytes go, as Supabase drops them. */
function bounded(record: Record<string, unknown>): { record: Record<string, unknown>; over: boolean } {
  if (Buffer.byteLength(JSON.stringify(record)) <= MAX_RECORD_BYTES) return { record, over: false };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (Buffer.byteLength(JSON.stringify(v) ?? '') <= KEPT_VALUE_BYTES) out[k] = v;
  return { record: out, over: true };
}

export function changePayload(table: PublishedTable, change: ChangeRow, readable: ReadonlySet<string>, select: ReadonlySet<string> | undefined, ids: readonly number[]): JsonObject {
  const base = { schema: table.schema, table: table.name };
  const failed = (error: string): JsonObject => ({
    ids,
    data: { ...base, commit_timestamp: null, type: change.op, columns: [], ...(change.op !== 'DELETE' ? { record: {} } : {}), ...(change.op !== 'INSERT' ? { old_record: {} } : {}), errors: [error] },
  });
  if (table.primaryKey.length === 0) return failed('Error 400: Bad Request, no primary key');
  if (!table.primaryKey.every((c) => readable.has(c))) return failed('Error 401: Unauthorized');
  const columns = table.columns.filter((c) => readable.has(c.name) && (select === undefined || select.has(c.name)));
  const names = columns.map((c) => c.name);
  const data: Record<string, unknown> = { ...base, commit_timestamp: change.at, type: change.op, columns };
  const errors: string[] = [];
  if (change.op !== 'DELETE' && change.record !== null) {
    const b = bounded(pick(change.record, names));
    data['record'] = b.record;
    if (b.over) errors.push('Error 413: Payload Too Large');
  }
  if (change.op !== 'INSERT' && change.oldRecord !== null) {
    const keyOnly = !table.replicaFull || (change.op === 'DELETE' && table.rls);
    data['old_record'] = bounded(pick(change.oldRecord, keyOnly ? table.primaryKey : names)).record;
  }
  data['errors'] = errors.length === 0 ? null : errors;
  return { ids, data };
}

/** The row a binding's filter is evaluated on: the new row, or the old one for DELETE. */
export function filteredRow(change: ChangeRow, table: PublishedTable): Readonly<Record<string, unknown>> {
  if (change.op !== 'DELETE') return change.record ?? {};
  const old = change.oldRecord ?? {};
  return table.replicaFull ? old : pick(old, table.primaryKey);
}
