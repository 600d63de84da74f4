// After a copy: every moved table counted again on the target and set against the
// source's count, printed as a table. `formatReport` is pure.
import { ident, sql } from '../lib/sql.ts';
import type { Queryable } from '../db/port.ts';
import type { DataTable } from './catalog-types.ts';

export interface TableCount {
  readonly table: string;
  readonly source: number;
  readonly target: number;
}

export async function countOnTarget(db: Queryable, tables: readonly DataTable[]): Promise<TableCount[]> {
  const out: TableCount[] = [];
  for (const t of tables) {
    const { rows } = await db.query<{ n: string }>(sql`select count(*) as n from ${ident(t.schema, t.table)}`);
    out.push({ table: `${t.schema}.${t.table}`, source: t.rows, target: Number(rows[0]?.n ?? -1) });
  }
  return out;
}

const n = (x: number) => x.toLocaleString('en-US');

/** One line per table (`differs` marks a mismatch), then a summary line. */
export function formatReport(counts: readonly TableCount[]): string[] {
  const width = Math.max(5, ...counts.map((c) => c.table.length));
  const sw = Math.max(6, ...counts.map((c) => n(c.source).length));
  const tw = Math.max(6, ...counts.map((c) => n(c.target).length));
  const lines = [`${'TABLE'.padEnd(width)}  ${'SOURCE'.padStart(sw)}  ${'TARGET'.padStart(tw)}`];
  for (const c of counts) {
    lines.push(`${c.table.padEnd(width)}  ${n(c.source).padStart(sw)}  ${n(c.target).padStart(tw)}${c.source === c.target ? '' : '  differs'}`);
  }
  const differ = counts.filter((c) => c.source !== c.target).length;
  const rows = counts.reduce((sum, c) => sum + c.source, 0);
  const tables = `${counts.length} table${counts.length === 1 ? '' : 's'}, ${n(rows)} row${rows === 1 ? '' : 's'}`;
  lines.push('', differ === 0 ? `${tables}: every row count matches.` : `${tables}: ${differ} table${differ === 1 ? '' : 's'} differ${differ === 1 ? 's' : ''}.`);
  return lines;
}
