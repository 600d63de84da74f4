// What an API family is to the rest of Groundwork. Start-up (src/app/start.ts) builds the
// shared context once and walks the ordered module list (src/app/modules.ts): each module
// reads its slice of the config, mounts its routes, and may run background workers, which
// start once the server listens and stop, in reverse order, after it stops accepting.
// Adding a family is one folder implementing this and one line in that list.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/load.ts';
import type { Database } from '../db/port.ts';
import type { ApiKeys } from '../keys/api-keys.ts';
import type { KeySet } from '../keys/key-set.ts';
import type { TokenVerifier } from '../keys/verify-token.ts';
import type { Observer } from '../observe/events.ts';
import type { SchemaSource } from '../schema-cache/store.ts';

/** What every family's errors carry: an HTTP status and a stable code. */
export interface CatalogueError {
  readonly status: number;
  readonly code: string;
}

/** A family's errors, one factory each: routes and stages throw what these make. */
export type ErrorCatalogue = Readonly<Record<string, (...args: never[]) => CatalogueError>>;

/** Background work a module owns (e.g. Auth's email and SMS senders). */
export interface Worker {
  readonly name: string;
  start(): Promise<void>;
  /** Finishes what is under way and releases the rest; the database is still open. */
  stop(): Promise<void>;
}

/** The database connections a module may use, each logging in as its own role. */
export interface ModuleDatabases {
  /** API requests: run as the caller's role (`Database.transaction(work, {caller})`). */
  readonly api: Database;
  /** Auth's own tables, as `supabase_auth_admin`. */
  readonly auth: Database;
  /**
   * The admin connection: for background work that acts for any role (a cron job runs as
   * the role that scheduled it) and on Groundwork's own tables. Never for requests.
   */
  readonly admin: Database;
}

/** Built once at start-up and handed to every module, with the module's own settings. */
export interface ModuleContext<S> {
  /** The module's slice of the config, as its `settings` returned it. */
  readonly settings: S;
  readonly config: Config;
  readonly db: ModuleDatabases;
  readonly schema: SchemaSource;
  readonly jwtSecret: string;
  readonly keySet: KeySet;
  readonly apiKeys: ApiKeys;
  readonly verifyToken: TokenVerifier;
  readonly observe: Observer;
  /** Adds a sink to the observation stream (the log store, metrics); returns its removal. */
  readonly subscribe: (sink: Observer) => () => void;
  /** Where this server is reached (known exactly once it listens). */
  readonly externalUrl: () => string;
  /** A PostgreSQL URL for the database (the embedded database's port once it serves, or the server's admin URL); undefined when there is none. */
  readonly dbUrl: () => string | undefined;
}

// Methods (not function-typed properties) so that a list of ApiModule<S> of different S
// type-checks as ApiModule[]: start-up hands each module only the settings it made itself.
export interface ApiModule<S = unknown> {
  /** Names the family in logs, e.g. `rest`, `auth`. */
  readonly name: string;
  readonly errors: ErrorCatalogue;
  /**
   * Its slice of the config, checked and completed once at start-up before the database
   * opens: files it names are read here, so a bad one stops the start early.
   */
  settings(config: Config): S;
  /** Mounts the family's routes. */
  register(http: FastifyInstance, ctx: ModuleContext<S>): void | Promise<void>;
  /** Its background workers, if any. */
  workers?(ctx: ModuleContext<S>): readonly Worker[];
}
