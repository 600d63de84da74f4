// The bytes a client's turn sends PGlite, and what they change: the client's messages (their
// statement names already prefixed, names.ts), a guard after them, the clean-up after a
// client left, and the LISTEN/UNLISTEN that keep the session's channels the API's. Pure.
import { ident, sql, type Sql } from '../../../lib/sql.ts';
import { cstring, frontend, message, T, type Message } from './frames.ts';
import { statementChange } from './names.ts';

const EXTENDED = new Set<number>([T.parse, T.bind, T.execute, T.describe, T.close, T.flush]);
/** Messages PostgreSQL answers with ReadyForQuery. */
const COMPLETES = new Set<number>([T.query, T.sync, T.functionCall]);

/**
 * Sent after every batch: PostgreSQL ignores a CopyFail outside COPY, and inside one (data
 * the port did not see coming) it ends the COPY with an error instead of PGlite exiting.
 */
export const COPY_GUARD = frontend(T.copyFail, cstring("the COPY data did not come with its statement (Groundwork's database port forwards COPY FROM STDIN when it is the first statement of its query)"));

export interface Batch {
  readonly bytes: Buffer;
  /** Prepared statements the batch creates or closes, by their names in the session. */
  readonly created: readonly string[];
  readonly dropped: readonly string[];
  /** ReadyForQuery answers to expect. */
  readonly completes: number;
  /** Whether an extended-protocol sequence is left open (undefined: the batch says nothing). */
  readonly extended: boolean | undefined;
}

export function forwardBatch(messages: readonly Message[]): Batch {
  const parts: Buffer[] = [];
  const created: string[] = [];
  const dropped: string[] = [];
  let completes = 0;
  let extended: boolean | undefined;
  for (const m of messages) {
    const change = statementChange(m);
    if (change.created !== undefined) created.push(change.created);
    if (change.dropped !== undefined) dropped.push(change.dropped);
    if (COMPLETES.has(m.type)) completes++;
    if (EXTENDED.has(m.type)) extended = true;
    else if (m.type === T.query || m.type === T.sync) extended = false;
    parts.push(message(m.type, m.body));
  }
  parts.push(COPY_GUARD);
  return { bytes: Buffer.concat(parts), created, dropped, completes, extended };
}

/**
 * After a client left holding the session (or with statements in it): end any extended
 * sequence, roll back its transaction, close its statements.
 */
export function cleanupMessages(statements: Iterable<string>): Buffer {
  const closes = [...statements].map((name) => frontend(T.close, Buffer.from('S'), cstring(name)));
  return Buffer.concat([frontend(T.sync), frontend(T.query, cstring('rollback')), ...closes, frontend(T.sync)]);
}

/** Statements that bring the session's channels back to the API's. */
export function listeningFixes(channels: readonly string[], wanted: ReadonlySet<string>): Sql[] {
  const have = new Set(channels);
  return [...channels.filter((c) => !wanted.has(c)).map((c) => sql`unlisten ${ident(c)}`), ...[...wanted].filter((c) => !have.has(c)).map((c) => sql`listen ${ident(c)}`)];
}
