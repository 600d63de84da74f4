// Reads the source in one transaction and hands the plan to a sink: statements, then each
// table's rows through a cursor (a batch at a time, so a large table never sits in memory
// whole), then the statements that follow the rows.
import { ident, join, raw, sql } from '../lib/sql.ts';
import type { Progress } from '../lib/progress.ts';
import { BOOTSTRAP_VERSION } from '../bootstrap/run.ts';
import type { Database, Queryable } from '../db/port.ts';
import { readCatalog, READ_SETTINGS } from './catalog.ts';
import type { Catalog, DataTable } from './catalog-types.ts';
import { TransferError } from './errors.ts';
import { planDump } from './plan.ts';
import type { DumpSink, TextRow } from './sinks.ts';

const BATCH_ROWS = 1000;

/** A table's rows as text, `BATCH_ROWS` at a time, from a cursor in the open transaction. */
async function* rowBatches(tx: Queryable, t: DataTable): AsyncGenerator<TextRow[]> {
  const columns = t.columns.map((c, i) => sql`${ident(c)}::text as ${ident(`c${i}`)}`);
  await tx.query(sql`declare groundwork_dump no scroll cursor for select ${join(columns)} from ${ident(t.schema, t.table)}`);
  try {
    for (;;) {
      const { rows } = await tx.query<Record<string, string | null>>(sql`fetch forward ${raw(String(BATCH_ROWS))} from groundwork_dump`);
      if (rows.length > 0) yield rows.map((r) => t.columns.map((_, i) => r[`c${i}`] ?? null));
      if (rows.length < BATCH_ROWS) break;
    }
  } finally {
    await tx.query(sql`close groundwork_dump`);
  }
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

export interface DumpResult {
  readonly catalog: Catalog;
  /** Rows written per table, in load order. */
  readonly written: ReadonlyArray<{ readonly table: DataTable; readonly rows: number }>;
}

/** What the project holds, for the progress line: "4 tables, 1 view, 2 functions". */
export function describeCatalog(c: Catalog): string {
  const count = (kind: string) => c.relations.filter((r) => r.kind === kind).length;
  return [
    plural(count('table'), 'table'),
    ...(count('view') > 0 ? [plural(count('view'), 'view')] : []),
    ...(count('matview') > 0 ? [plural(count('matview'), 'materialized view')] : []),
    plural(c.functions.length, 'function'),
    ...(c.types.length > 0 ? [plural(c.types.length, 'type')] : []),
  ].join(', ');
}

/** Runs `work` as one progress step: its outcome, or "failed" before the error goes on. */
export async function stepped<T>(progress: Progress, label: string, work: () => Promise<T>, outcome?: (result: T) => string): Promise<T> {
  const done = progress.step(label);
  try {
    const result = await work();
    done(outcome?.(result));
    return result;
  } catch (e) {
    done('failed');
    throw e;
  }
}

export async function dumpDatabase(source: Database, sink: DumpSink, progress: Progress): Promise<DumpResult> {
  return source.transaction(
    async (tx) => {
      const catalog = await stepped(progress, 'Reading the schema', () => readCatalog(tx), describeCatalog);
      if (catalog.bootstrapVersion > BOOTSTRAP_VERSION) {
        throw new TransferError('newer-data', `the data directory was bootstrapped by a newer Groundwork (v${catalog.bootstrapVersion}; this one knows up to v${BOOTSTRAP_VERSION}): upgrade Groundwork first`);
      }
      const lost = catalog.unsupported.filter((u) => u.data).map((u) => u.what);
      if (lost.length > 0) {
        throw new TransferError('unsupported-object', `the project holds rows that cannot be moved yet: ${lost.join(', ')} (partitioned, inherited and foreign tables are not supported)`);
      }
      for (const u of catalog.unsupported) progress.info(`Warning: not moved (not supported yet): ${u.what}; recreate it on the target by hand`);
      const plan = planDump(catalog);

      await sink.comment(`Groundwork dump: PostgreSQL ${catalog.serverVersion}, ${describeCatalog(catalog)}, bootstrap v${catalog.bootstrapVersion}`);
      await sink.statements(plan.header);
      await stepped(progress, 'Creating schemas, types, tables, functions and views', async () => {
        await sink.comment('Schemas, types, tables, functions, views');
        await sink.statements(plan.before);
      });
      const written: Array<{ table: DataTable; rows: number }> = [];
      for (const table of plan.data) {
        const rows = await stepped(
          progress,
          `Copying ${table.schema}.${table.table}`,
          async () => {
            await sink.comment(`Rows of ${table.schema}.${table.table}`);
            return sink.rows(table, rowBatches(tx, table));
          },
          (n) => plural(n, 'row'),
        );
        written.push({ table, rows });
      }
      await stepped(progress, 'Adding constraints, indexes, triggers, policies and privileges', async () => {
        await sink.comment('Sequences, constraints, indexes, triggers, policies, privileges, comments');
        await sink.statements(plan.after);
      });
      return { catalog, written };
    },
    { readOnly: true, settings: READ_SETTINGS },
  );
}
