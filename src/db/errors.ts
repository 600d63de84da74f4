// Database failures as two typed values, whichever adapter raised them: an error the
// database reported (with its SQLSTATE), or the database being out of reach.

export interface DbErrorFields {
  readonly sqlstate: string;
  readonly message: string;
  readonly detail?: string | undefined;
  readonly hint?: string | undefined;
  /** 1-based character offset into the statement text, when PostgreSQL gives one. */
  readonly position?: number | undefined;
  readonly where?: string | undefined;
}

/** An error PostgreSQL raised while running a statement. */
export class DbError extends Error {
  readonly sqlstate: string;
  readonly detail: string | undefined;
  readonly hint: string | undefined;
  readonly position: number | undefined;
  readonly where: string | undefined;

  constructor(fields: DbErrorFields) {
    super(fields.message);
    this.name = 'DbError';
    this.sqlstate = fields.sqlstate;
    this.detail = fields.detail;
    this.hint = fields.hint;
    this.position = fields.position;
    this.where = fields.where;
  }
}

/** The database could not be reached (refused, lost, shutting down, or closed by us). */
export class DbUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DbUnavailableError';
  }
}

/** SQLSTATE classes that mean the connection, not the statement, failed. */
export function isConnectionSqlstate(sqlstate: string): boolean {
  return sqlstate.startsWith('08') || sqlstate === '57P01' || sqlstate === '57P02' || sqlstate === '57P03';
}

function str(x: unknown): string | undefined {
  return typeof x === 'string' && x !== '' ? x : undefined;
}

/** Reads the fields both drivers put on their error objects (postgres.js and PGlite share names). */
export function dbErrorFrom(e: unknown): DbError | undefined {
  if (!(e instanceof Error)) return undefined;
  const o = e as Error & Record<string, unknown>;
  const code = str(o['code']);
  if (code === undefined || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  const position = Number(o['position']);
  return new DbError({
    sqlstate: code,
    message: e.message,
    detail: str(o['detail']),
    hint: str(o['hint']),
    position: Number.isFinite(position) && position > 0 ? position : undefined,
    where: str(o['where']),
  });
}

/**
 * A session's prepared statement went stale: it no longer exists (DEALLOCATE ALL, DISCARD
 * ALL, a pooler's other session), or DDL changed the row type it returns. Preparing it anew
 * is the cure, so a transaction that failed only for this may run once more.
 */
export function isStaleStatement(e: { readonly sqlstate: string; readonly message: string } | undefined): boolean {
  return e !== undefined && (e.sqlstate === '26000' || (e.sqlstate === '0A000' && e.message === 'cached plan must not change result type'));
}
