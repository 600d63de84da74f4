// Why a dump or copy stopped, each with a stable code; the CLI prints the message and
// exits 1.

export type TransferErrorCode =
  /** The project has no embedded database to read (never started, or another directory). */
  | 'no-embedded-database'
  /** DATABASE_URL is set: the project's database is a server, not the embedded one. */
  | 'server-mode'
  /** The data directory was made by a newer Groundwork than this one. */
  | 'newer-data'
  /** The dump's file cannot be created. */
  | 'cannot-write'
  /** The project holds objects with rows that a dump cannot recreate. */
  | 'unsupported-object'
  /** The target already holds a project; `--replace` was not given. */
  | 'target-not-empty'
  /** The target refused a statement; the copy was rolled back. */
  | 'load-failed'
  /** After the copy, a table's row count differs between source and target. */
  | 'counts-differ';

export class TransferError extends Error {
  constructor(
    readonly code: TransferErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TransferError';
  }
}
