// Stage 4, the only REST stage with I/O: one transaction as the caller. Its settings and
// the caller's go in one statement, then the optional pre-request function, then the main
// statement (or EXPLAIN of it). Usually all of it, COMMIT included, is one round trip;
// checks that must undo a write (singular, max-affected, PUT) need the result first, so
// those run step by step and throw inside the transaction to roll it back.
import { ident, raw, sql } from '../lib/sql.ts';
import type { Caller, Database, TransactionOptions } from '../db/port.ts';
import { restErrors } from './errors.ts';
import type { Execution } from './plan/common.ts';

export interface DbOutcome {
  /** Total rows when a count was asked for. */
  readonly total: number | undefined;
  readonly pageTotal: number;
  readonly body: string;
  readonly responseHeaders: string | null;
  readonly responseStatus: string | null;
  readonly row: Readonly<Record<string, unknown>>;
}

interface ResultRow extends Record<string, unknown> {
  total_result_set: string | null;
  page_total: number;
  body: string;
  response_headers: string | null;
  response_status: string | null;
}

const EXPLAIN_OPTIONS: Readonly<Record<string, string>> = { analyze: 'ANALYZE', verbose: 'VERBOSE', settings: 'SETTINGS', buffers: 'BUFFERS', wal: 'WAL' };

/** Whether committing depends on the result: writes checked for singular, PUT or max-affected. */
const needsChecksBeforeCommit = (exec: Execution) => !exec.readOnly && (exec.singular || exec.exactlyOne || exec.maxAffected !== undefined);

function outcomeOf(row: ResultRow, exec: Execution, planned: number | undefined): DbOutcome {
  const pageTotal = row.page_total;
  if (exec.singular && pageTotal !== 1) throw restErrors.singular(pageTotal);
  let total = row.total_result_set === null ? undefined : Number(row.total_result_set);
  const pc = exec.plannedCount;
  // planned: the planner's estimate; estimated: the exact count, unless it reached the cap.
  if (pc !== undefined && (pc.mode === 'planned' || pc.cap === undefined || (total ?? 0) >= pc.cap)) {
    total = pc.mode === 'planned' ? planned : Math.max(total ?? 0, planned ?? 0);
  }
  return { total, pageTotal, body: row.body, responseHeaders: row.response_headers, responseStatus: row.response_status, row };
}

type PlanRow = { 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> };
const plannedRows = (rows: readonly Record<string, unknown>[]) => (rows[0] as PlanRow | undefined)?.['QUERY PLAN'][0]?.Plan['Plan Rows'];

/** How long the transaction may take, and the signal that its client went away. */
export interface ExecutionLimits {
  readonly statementTimeoutMs: number | undefined;
  readonly signal: AbortSignal | undefined;
}

export async function execute(db: Database, exec: Execution, caller: Caller, preRequest: string | undefined, limits?: ExecutionLimits): Promise<DbOutcome> {
  const options: TransactionOptions = {
    caller,
    settings: exec.settings,
    readOnly: exec.readOnly,
    rollback: exec.rollback,
    ...(limits?.statementTimeoutMs === undefined ? {} : { statementTimeoutMs: limits.statementTimeoutMs }),
    ...(limits?.signal === undefined ? {} : { signal: limits.signal }),
  };
  if (exec.explain === undefined && !needsChecksBeforeCommit(exec)) {
    // The common case: one round trip (BEGIN, settings, statements, COMMIT sent together).
    const statements = [
      ...(preRequest === undefined ? [] : [sql`select ${ident(...preRequest.split('.'))}()`]),
      exec.statement,
      ...(exec.plannedCount === undefined ? [] : [sql`EXPLAIN (FORMAT JSON) ${exec.plannedCount.rows}`]),
    ];
    const results = await db.pipeline(statements, options);
    const main = results[preRequest === undefined ? 0 : 1];
    return outcomeOf(main?.rows[0] as ResultRow, exec, exec.plannedCount === undefined ? undefined : plannedRows(results.at(-1)?.rows ?? []));
  }
  return db.transaction(
    async (tx) => {
      if (preRequest !== undefined) await tx.query(sql`select ${ident(...preRequest.split('.'))}()`);
      if (exec.explain !== undefined) {
        const opts = [`FORMAT ${exec.explain.format.toUpperCase()}`, ...exec.explain.options.map((o) => EXPLAIN_OPTIONS[o] as string)].join(', ');
        const { rows } = await tx.query<{ 'QUERY PLAN': unknown }>(sql`EXPLAIN (${raw(opts)}) ${exec.statement}`);
        const plan = exec.explain.format === 'json' ? JSON.stringify(rows[0]?.['QUERY PLAN']) : rows.map((r) => String(r['QUERY PLAN'])).join('\n');
        return { total: undefined, pageTotal: 0, body: plan, responseHeaders: null, responseStatus: null, row: {} };
      }
      const { rows } = await tx.query<ResultRow>(exec.statement);
      const row = rows[0] as ResultRow;
      if (exec.exactlyOne && row.page_total !== 1) throw restErrors.putMismatch();
      if (exec.maxAffected !== undefined && row.page_total > exec.maxAffected) throw restErrors.maxAffected(row.page_total);
      const planned = exec.plannedCount === undefined ? undefined : plannedRows((await tx.query(sql`EXPLAIN (FORMAT JSON) ${exec.plannedCount.rows}`)).rows);
      return outcomeOf(row, exec, planned);
    },
    options,
  );
}
