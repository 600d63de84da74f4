// Rows in COPY's text format, the format pg_dump writes and `COPY … FROM stdin` reads:
// one line per row, columns separated by tabs, NULL as \N, and backslash, newline,
// carriage return and tab escaped, so no value can end a line or the data (`\.`). Pure.
import { quoteIdent } from '../lib/sql.ts';
import type { DataTable } from './catalog-types.ts';
import { qualified } from './ddl-objects.ts';

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function copyField(value: string | null): string {
  return value === null ? '\\N' : value.replace(/[\\\n\r\t]/g, (c) => ESCAPES[c] as string);
}

export function copyLine(values: ReadonlyArray<string | null>): string {
  return values.map(copyField).join('\t');
}

/** `COPY "s"."t" ("a", "b") FROM stdin;` (a table without columns takes no list). */
export function copyStatement(t: DataTable): string {
  const columns = t.columns.length === 0 ? '' : ` (${t.columns.map(quoteIdent).join(', ')})`;
  return `copy ${qualified(t.schema, t.table)}${columns} from stdin;`;
}

/** The line that ends a COPY's data in a script. */
export const END_OF_DATA = '\\.';
