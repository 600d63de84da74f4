// Every setting Groundwork reads: its environment name, its flag, its default and its
// validation. This table is the single source for the loader, `--help` and the README's
// configuration table (docs are checked against it in settings.test.ts).
import { z } from 'zod';
import { bool, nameList, port, postgresUrl, whole } from './schemas.ts';
import { authSettings } from './settings-auth.ts';
import { dbPortSettings } from './settings-db-port.ts';
import { embeddedSettings } from './settings-embedded.ts';
import { deliverySettings } from './settings-delivery.ts';
import { realtimeSettings } from './settings-realtime.ts';
import { jobsSettings } from './settings-jobs.ts';
import { functionsSettings } from './settings-functions.ts';
import { observeSettings } from './settings-observe.ts';
import { logsSettings } from './settings-logs.ts';
import { mcpSettings } from './settings-mcp.ts';

export const settings = {
  projectDir: {
    env: 'GROUNDWORK_PROJECT_DIR',
    flag: 'project-dir',
    default: '.',
    doc: 'Project folder holding `supabase/migrations` and `supabase/seed.sql`; `.env` is read from here.',
    schema: z.string().min(1, 'must not be empty'),
  },
  dataDir: {
    env: 'GROUNDWORK_DATA_DIR',
    flag: 'data-dir',
    default: '<project>/.groundwork',
    doc: 'Where the embedded database (`data/`), the generated JWT secret and the lock file live.',
    schema: z.string().min(1, 'must not be empty'),
  },
  databaseUrl: {
    env: 'DATABASE_URL',
    flag: 'database-url',
    default: '(unset: embedded)',
    doc: 'A PostgreSQL server to use instead of the embedded database. Requests log in to it as `authenticator` and Auth as `supabase_auth_admin` (see [Database roles](#database-roles)); this URL\'s own role bootstraps and migrates unless `GROUNDWORK_ADMIN_DATABASE_URL` is set.',
    schema: postgresUrl,
  },
  adminDatabaseUrl: {
    env: 'GROUNDWORK_ADMIN_DATABASE_URL',
    flag: 'admin-database-url',
    default: '(DATABASE_URL)',
    doc: 'The connection that bootstraps the database and applies migrations (it creates schemas and roles), when `DATABASE_URL` names a role that may not, e.g. `authenticator` itself.',
    schema: postgresUrl,
  },
  host: {
    env: 'HOST',
    flag: 'host',
    default: '127.0.0.1',
    doc: 'Interface to listen on (`0.0.0.0` for all).',
    schema: z.string().min(1, 'must not be empty'),
  },
  port: { env: 'PORT', flag: 'port', default: '54321', doc: 'Port serving every API.', schema: port },
  jwtSecret: {
    env: 'JWT_SECRET',
    flag: 'jwt-secret',
    default: '(embedded: generated once)',
    doc: 'HS256 secret for access tokens and API keys, at least 32 characters. Required with DATABASE_URL.',
    schema: z.string().min(32, 'must be at least 32 characters long'),
  },
  jwtAud: {
    env: 'GROUNDWORK_JWT_AUD',
    flag: 'jwt-aud',
    default: '(none: any audience)',
    doc: "The audience a token's `aud` claim must name when it has one (PostgREST's `jwt-aud`), e.g. `authenticated`; others get 401 PGRST303 from REST and 403 `bad_jwt` from Auth. Tokens without `aud` (the API keys) pass.",
    schema: z.string().min(1, 'must not be empty'),
  },
  logLevel: {
    env: 'LOG_LEVEL',
    flag: 'log-level',
    default: 'info',
    doc: 'fatal, error, warn, info, debug, trace or silent.',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'must be one of fatal, error, warn, info, debug, trace, silent',
    }),
  },
  bodyLimit: {
    env: 'GROUNDWORK_BODY_LIMIT',
    flag: 'body-limit',
    default: '10485760',
    doc: 'Largest request body in bytes; larger ones get 413.',
    schema: whole('a whole number of bytes').pipe(z.number().min(1024, 'must be at least 1024 bytes')),
  },
  headersTimeoutMs: {
    env: 'GROUNDWORK_HEADERS_TIMEOUT_MS',
    flag: 'headers-timeout-ms',
    default: '10000',
    doc: 'How long a request may take to send its headers, from its first byte; slower ones get 408 and the connection is closed. At most the request timeout; `0` turns it off.',
    schema: whole(),
  },
  requestTimeoutMs: {
    env: 'GROUNDWORK_REQUEST_TIMEOUT_MS',
    flag: 'request-timeout-ms',
    default: '30000',
    doc: 'How long a request may take to send its headers and body (not how long it may run); slower ones get 408 and the connection is closed. Raise it for large uploads over slow links; `0` turns it off (only behind a proxy that bounds it).',
    schema: whole(),
  },
  dbPoolSize: {
    env: 'GROUNDWORK_DB_POOL_SIZE',
    flag: 'db-pool-size',
    default: '10',
    doc: 'Connections to a PostgreSQL server (server mode only).',
    schema: whole().pipe(z.number().min(1, 'must be at least 1').max(1000, 'must be at most 1000')),
  },
  autoMigrate: {
    env: 'GROUNDWORK_AUTO_MIGRATE',
    flag: 'auto-migrate',
    default: 'true',
    doc: '`start` applies pending migrations (and `supabase/seed.sql` the first time it migrates a database) before serving.',
    schema: bool,
  },
  dbSchemas: {
    env: 'GROUNDWORK_DB_SCHEMAS',
    flag: 'db-schemas',
    default: 'public,graphql_public,pgmq_public',
    doc: 'Schemas the REST API exposes, comma-separated; the first is the default (others via Accept-Profile / Content-Profile).',
    schema: nameList,
  },
  dbExtraSearchPath: {
    env: 'GROUNDWORK_DB_EXTRA_SEARCH_PATH',
    flag: 'db-extra-search-path',
    default: 'public,extensions',
    doc: 'Schemas added to the search path of every REST request, after the selected one.',
    schema: nameList,
  },
  dbMaxRows: {
    env: 'GROUNDWORK_DB_MAX_ROWS',
    flag: 'db-max-rows',
    default: '1000',
    doc: 'Most rows a REST read returns, per resource and embed (0: no limit).',
    schema: whole(),
  },
  dbAggregatesEnabled: {
    env: 'GROUNDWORK_DB_AGGREGATES_ENABLED',
    flag: 'db-aggregates-enabled',
    default: 'false',
    doc: 'Allow aggregate functions in `select` (`count()`, `col.sum()`…).',
    schema: bool,
  },
  dbPlanEnabled: {
    env: 'GROUNDWORK_DB_PLAN_ENABLED',
    flag: 'db-plan-enabled',
    default: 'false',
    doc: 'Answer `Accept: application/vnd.pgrst.plan` with the query plan (EXPLAIN).',
    schema: bool,
  },
  dbTxEnd: {
    env: 'GROUNDWORK_DB_TX_END',
    flag: 'db-tx-end',
    default: 'commit',
    doc: 'commit, commit-allow-override, rollback or rollback-allow-override (the last two honour `Prefer: tx=`).',
    schema: z.enum(['commit', 'commit-allow-override', 'rollback', 'rollback-allow-override'], {
      message: 'must be one of commit, commit-allow-override, rollback, rollback-allow-override',
    }),
  },
  dbPreRequest: {
    env: 'GROUNDWORK_DB_PRE_REQUEST',
    flag: 'db-pre-request',
    default: '(none)',
    doc: 'A function (`schema.name`) called at the start of every REST request; it may raise to refuse it.',
    schema: z.string().regex(/^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/, 'must be a function name, optionally schema-qualified'),
  },
  ...dbPortSettings,
  ...embeddedSettings,
  ...authSettings,
  ...deliverySettings,
  ...realtimeSettings,
  ...jobsSettings,
  ...functionsSettings,
  ...observeSettings,
  ...logsSettings,
  ...mcpSettings,
  shutdownTimeoutMs: {
    env: 'GROUNDWORK_SHUTDOWN_TIMEOUT_MS',
    flag: 'shutdown-timeout-ms',
    default: '10000',
    doc: 'How long a graceful shutdown waits for in-flight requests.',
    schema: whole(),
  },
} as const;

export type SettingName = keyof typeof settings;
