// The log store's writes: one insert per batch, and the retention that bounds the table
// (bootstrap v16 made it). Both on the admin connection, never a request's.
import type { Database, Queryable } from '../db/port.ts';
import { sql, type Sql } from '../lib/sql.ts';
import { batchJson, type LogRow } from './row.ts';

/** Arbitrary constant (the bootstrap step's number): one node prunes at a time. */
const PRUNE_LOCK = 7_270_016;

/** Writes a batch in one statement: its rows travel as one JSON parameter. */
export async function insertLogs(db: Queryable, node: string, rows: readonly LogRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query(sql`insert into _groundwork.logs (at, node, service, level, event, message, request_id, trace_id, fields)
    select r.at, ${node}::text, r.service, r.level, r.event, r.message, r.request_id, r.trace_id, r.fields
    from jsonb_to_recordset(${batchJson(rows)}::jsonb)
      as r(at timestamptz, service text, level text, event text, message text, request_id text, trace_id text, fields jsonb)`);
}

export interface Retention {
  readonly hours: number;
  readonly maxRows: number;
}

/** Rows one delete removes: each is its own short transaction, so requests on the embedded database's one session get their turns between. */
const CHUNK = 5_000;

/** Runs `work` holding the prune lock; undefined when another node holds it. */
function locked(db: Database, work: (tx: Queryable) => Promise<number>): Promise<number | undefined> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ got: boolean }>(sql`select pg_try_advisory_xact_lock(${PRUNE_LOCK}) as got`);
    return rows[0]?.got === true ? work(tx) : undefined;
  });
}

/** Repeats a chunked delete until it removes less than a chunk (or another node prunes). */
async function deleteAll(db: Database, statement: Sql, chunk: number): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await locked(db, async (tx) => (await tx.query(statement)).rowCount);
    total += n ?? 0;
    if (n === undefined || n < chunk) return total;
  }
}

/**
 * Deletes entries older than the retention, then the oldest beyond the row limit, in chunks.
 * Several nodes may call it at once: one holds the lock, the others find nothing to do. The
 * row limit's scan of `maxRows` index entries only runs when the id range says it may be over.
 */
export async function pruneLogs(db: Database, retention: Retention, chunk = CHUNK): Promise<number> {
  const old = await deleteAll(
    db,
    sql`delete from _groundwork.logs where id in (
      select id from _groundwork.logs where at < now() - make_interval(hours => ${retention.hours}::int) limit ${chunk})`,
    chunk,
  );
  const { rows } = await db.query<{ id: string }>(sql`
    select id from _groundwork.logs
    where (select max(id) - min(id) + 1 from _groundwork.logs) > ${retention.maxRows}::bigint
    order by id desc offset ${retention.maxRows}::bigint limit 1`);
  const cut = rows[0]?.id;
  if (cut === undefined) return old;
  return old + (await deleteAll(db, sql`delete from _groundwork.logs where id in (select id from _groundwork.logs where id <= ${cut}::bigint limit ${chunk})`, chunk));
}
