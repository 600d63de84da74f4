// Stage 4, the only REST stage with I/O: one transaction as the caller. Its settings and
// the caller's go in one statement, then the optional pre-request function, then the main
// statement (or EXPLAIN of it). Checks that must undo the work (singular, max-affected,
// PUT) throw inside the transaction, so it rolls back.
import { ident, raw, sql } from '../lib/sql.ts';
import type { Caller, Database } from '../db/port.ts';
import { restErrors } from './errors.ts';
import type { Execution } from './plan/plan.ts';

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

export async function execute(db: Database, exec: Execution, caller: Caller, preRequest: string | undefined): Promise<DbOutcome> {
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
      const pageTotal = row.page_total;
      if (exec.singular && pageTotal !== 1) throw restErrors.singular(pageTotal);
      if (exec.exactlyOne && pageTotal !== 1) throw restErrors.putMismatch();
      if (exec.maxAffected !== undefined && pageTotal > exec.maxAffected) throw restErrors.maxAffected(pageTotal);
      let total = row.total_result_set === null ? undefined : Number(row.total_result_set);
      const pc = exec.plannedCount;
      // planned: the planner's estimate; estimated: the exact count, unless it reached the cap.
      if (pc !== undefined && (pc.mode === 'planned' || pc.cap === undefined || (total ?? 0) >= pc.cap)) {
        const { rows: plan } = await tx.query<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>(sql`EXPLAIN (FORMAT JSON) ${pc.rows}`);
        const planned = plan[0]?.['QUERY PLAN'][0]?.Plan['Plan Rows'];
        total = pc.mode === 'planned' ? planned : Math.max(total ?? 0, planned ?? 0);
      }
      return { total, pageTotal, body: row.body, responseHeaders: row.response_headers, responseStatus: row.response_status, row };
    },
    { caller, settings: exec.settings, readOnly: exec.readOnly, rollback: exec.rollback },
  );
}
