// Where a dump goes: a SQL script (COPY blocks for the rows, as pg_dump writes them, for
// psql), or straight into a target database inside one transaction. Into a database, rows
// go as INSERT … SELECT over a JSON batch rather than COPY: postgres.js never settles a
// COPY the server rejects after its last row (measured), and a copy must fail loudly.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { ident, join, raw, sql } from '../lib/sql.ts';
import { DbError } from '../db/errors.ts';
import type { Queryable } from '../db/port.ts';
import type { DataTable } from './catalog-types.ts';
import { copyLine, copyStatement, END_OF_DATA } from './copy-text.ts';
import { AUTH_OWNER } from './scope.ts';
import { TransferError } from './errors.ts';

/** One row's values as text (NULL as null), in the table's data column order. */
export type TextRow = ReadonlyArray<string | null>;

export interface DumpSink {
  /** A heading, for a reader of the script. */
  comment(text: string): Promise<void>;
  statements(texts: readonly string[]): Promise<void>;
  /** The table's rows, in batches; resolves with how many were written. */
  rows(table: DataTable, batches: AsyncIterable<readonly TextRow[]>): Promise<number>;
}

/** A SQL script on `out` (a file or stdout), written with back-pressure. */
export function scriptSink(out: Writable): DumpSink {
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const setRole = (t: DataTable) => (t.auth ? `set role ${AUTH_OWNER};\n` : '');
  return {
    comment: (text) => write(`--\n-- ${text.replaceAll('\n', ' ')}\n--\n\n`),
    async statements(texts) {
      for (const t of texts) await write(`${t}\n\n`);
    },
    async rows(table, batches) {
      await write(`${setRole(table)}${copyStatement(table)}\n`);
      let n = 0;
      for await (const batch of batches) {
        if (batch.length === 0) continue;
        await write(`${batch.map(copyLine).join('\n')}\n`);
        n += batch.length;
      }
      await write(`${END_OF_DATA}\n${table.auth ? 'reset role;\n' : ''}\n`);
      return n;
    },
  };
}

/** The first line of a statement, for an error message. */
const firstLine = (text: string) => {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 160)}…` : line;
};

function refused(e: unknown, what: string): unknown {
  if (!(e instanceof DbError)) return e;
  const detail = [e.detail && `DETAIL: ${e.detail}`, e.hint && `HINT: ${e.hint}`].filter(Boolean).join('\n');
  return new TransferError('load-failed', `the target refused ${what}: ${e.message} (SQLSTATE ${e.sqlstate})${detail === '' ? '' : `\n${detail}`}`);
}

/**
 * Runs the dump in `tx`, an open transaction on the target. Auth's rows are written as the
 * role that owns Auth's tables, so a target whose admin is not a superuser takes them too.
 */
export function databaseSink(tx: Queryable): DumpSink {
  return {
    comment: async () => undefined,
    async statements(texts) {
      for (const t of texts) await tx.script(t).catch((e: unknown) => Promise.reject(refused(e, `\`${firstLine(t)}\``)));
    },
    async rows(table, batches) {
      const names = table.columns.map((_, i) => `c${i}`);
      // Each value travels as text and becomes its column's type through the type's input
      // function, exactly as COPY would read it. The types are the source catalog's own names.
      const insert = (json: string) =>
        sql`insert into ${ident(table.schema, table.table)} (${join(table.columns.map((c) => ident(c)))}) overriding system value
          select ${join(names.map((n, i) => sql`r.${ident(n)}::${raw(table.types[i] ?? 'text')}`))}
          from pg_catalog.jsonb_to_recordset(${json}::jsonb) as r(${join(names.map((n) => sql`${ident(n)} text`))})`;
      const what = `the rows of ${table.schema}.${table.table}`;
      if (table.auth) await tx.script(`set local role ${AUTH_OWNER}`);
      let n = 0;
      for await (const batch of batches) {
        if (batch.length === 0) continue;
        if (table.columns.length === 0) {
          // A table without columns still has rows: one `default values` insert each.
          for (let i = 0; i < batch.length; i++) await tx.query(sql`insert into ${ident(table.schema, table.table)} default values`);
        } else {
          const json = JSON.stringify(batch.map((row) => Object.fromEntries(names.map((name, i) => [name, row[i] ?? null]))));
          await tx.query(insert(json)).catch((e: unknown) => Promise.reject(refused(e, what)));
        }
        n += batch.length;
      }
      if (table.auth) await tx.script('reset role');
      return n;
    },
  };
}
