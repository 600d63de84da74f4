// The database port: everything above this line talks to PostgreSQL only through these
// interfaces, and two adapters implement them (embedded PGlite, server PostgreSQL).
// The contract tests in contract.db.test.ts hold both adapters to the same behaviour.
import type { Sql } from '../lib/sql.ts';

export type Row = Record<string, unknown>;

export interface QueryResult<R extends Row = Row> {
  readonly rows: R[];
  /** Rows returned, or rows affected for INSERT/UPDATE/DELETE without RETURNING. */
  readonly rowCount: number;
}

/** Who a transaction runs as: the role to switch to and the request facts RLS policies may read. */
export interface Caller {
  readonly role: string;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly cookies: Readonly<Record<string, string>>;
  readonly method: string;
  readonly path: string;
}

export interface Queryable {
  /** One statement built with the SQL builder; values travel as parameters. */
  query<R extends Row = Row>(q: Sql): Promise<QueryResult<R>>;
  /**
   * Trusted SQL text with no parameters, possibly several statements (bootstrap scripts,
   * migration statements). Never pass request input here.
   */
  script(text: string): Promise<void>;
}

export interface TransactionOptions {
  /**
   * The session user for this transaction only, set first: the embedded database's one
   * session logs in as a superuser, so its views (src/db/login-view.ts) run each transaction
   * as the role a server pool would log in as. Server pools never pass it.
   */
  readonly sessionUser?: string;
  /** Run as this caller: role and request settings are set locally in one statement first. */
  readonly caller?: Caller;
  /** More transaction-local settings for that statement (search_path, timezone…), set first. */
  readonly settings?: ReadonlyArray<readonly [string, string]>;
  readonly readOnly?: boolean;
  /** Roll back instead of committing once `work` resolves (its value is still returned). */
  readonly rollback?: boolean;
  /**
   * The caller role's statement_timeout, in milliseconds. Server PostgreSQL enforces it per
   * statement (it is set in the scope statement); the embedded database, which cannot be
   * interrupted, stops the whole transaction at this deadline by restarting its worker.
   */
  readonly statementTimeoutMs?: number;
  /**
   * Fires when the request's client went away: a transaction still waiting for the
   * embedded database's one session gives up its place, and one holding it is stopped.
   */
  readonly signal?: AbortSignal;
}

/** What the embedded database's one session is doing, for /health. */
export interface DatabaseActivity {
  /** How long the current transaction has held the session; 0 when it is free. */
  readonly busyMs: number;
  /** Transactions queued behind it. */
  readonly waiting: number;
}

/** How a connection pool (or the embedded database's one session) is used, for metrics. */
export interface PoolStats {
  /** Connections that may be held at once (the embedded database: its one session). */
  readonly max: number;
  /** Held by a statement or transaction now. */
  readonly busy: number;
  /** Transactions waiting for one now. */
  readonly waiting: number;
  /** Since opening: turns granted after waiting, and the total wait in milliseconds. */
  readonly acquired: number;
  readonly waitedMs: number;
}

export type Unlisten = () => Promise<void>;

export interface Database extends Queryable {
  readonly mode: 'embedded' | 'server';
  /** Runs `work` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Runs `statements` in one transaction, sent together with BEGIN, the settings and the
   * COMMIT (or ROLLBACK): one round trip. For work whose commit does not depend on what the
   * statements return. Any failure rolls everything back and rejects with the first error.
   */
  pipeline(statements: readonly Sql[], options?: TransactionOptions): Promise<QueryResult[]>;
  /**
   * Delivers NOTIFY payloads on `channel` (after the notifying transaction commits). When
   * the listening connection was lost and listens again, `onRelisten` runs: notifications
   * sent meanwhile are gone, so the listener catches up by other means.
   */
  listen(channel: string, onMessage: (payload: string) => void, onRelisten?: () => void): Promise<Unlisten>;
  /** One round trip; rejects with DbUnavailableError when the database cannot be reached. */
  ping(): Promise<void>;
  /** The embedded database's session activity (undefined for server pools). */
  activity?(): DatabaseActivity;
  /** The pool's use so far (src/db/pool-meter.ts); every adapter reports it. */
  stats?(): PoolStats;
  close(): Promise<void>;
}
