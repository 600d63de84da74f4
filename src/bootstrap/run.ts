// Brings a database up to the bootstrap version this release knows, at every start.
// Steps are numbered and recorded in _groundwork.bootstrap; a later release appends steps
// and an existing data directory is upgraded by running only the new ones. Nothing here
// touches the project's own tables or data.
import { sql } from '../lib/sql.ts';
import type { Database } from '../db/port.ts';
import { authUsers } from './steps/v1-auth.ts';
import { rolesAndSchemas } from './steps/v1-roles-schemas.ts';
import { schemaWatch } from './steps/v1-schema-watch.ts';
import { authTables } from './steps/v2-auth-tables.ts';
import { rateLimits } from './steps/v3-rate-limits.ts';
import { outbox } from './steps/v4-outbox.ts';
import { outboxDelivery } from './steps/v5-outbox-delivery.ts';
import { authAdmin } from './steps/v6-auth-admin.ts';
import { queryIds } from './steps/v7-query-ids.ts';
import { statementTimeouts } from './steps/v8-statement-timeouts.ts';
import { schemaVersion } from './steps/v9-schema-version.ts';
import { realtime } from './steps/v10-realtime.ts';
import { realtimeVisible } from './steps/realtime-visible.ts';
import { net } from './steps/v12-net.ts';
import { pgmq } from './steps/v13-pgmq.ts';
import { cron } from './steps/v14-cron.ts';
import { functionSecrets } from './steps/v15-function-secrets.ts';
import { logs } from './steps/v16-logs.ts';

export interface BootstrapStep {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const bootstrapSteps: readonly BootstrapStep[] = [
  { version: 1, name: 'roles, schemas, auth.users, helpers, schema watch', sql: rolesAndSchemas + authUsers + schemaWatch },
  { version: 2, name: 'auth: identities, sessions, refresh tokens, MFA, flow state, one-time tokens, audit log', sql: authTables },
  { version: 3, name: 'rate limit counters', sql: rateLimits },
  { version: 4, name: 'outbox for emails and SMS', sql: outbox },
  { version: 5, name: 'outbox delivery state (lease, attempts, last error)', sql: outboxDelivery },
  { version: 6, name: 'supabase_auth_admin: owns the auth tables, uses the rate limits and the outbox', sql: authAdmin },
  { version: 7, name: 'authenticator may set compute_query_id (verbose plans)', sql: queryIds },
  { version: 8, name: 'statement timeouts: anon 3 s, authenticated 8 s', sql: statementTimeouts },
  { version: 9, name: 'schema version, bumped by the DDL watch (schema cache snapshots)', sql: schemaVersion },
  { version: 10, name: 'realtime: messages, send, broadcast_changes; change capture for the supabase_realtime publication', sql: realtime },
  { version: 11, name: 'realtime: visibility checks on a generic plan', sql: realtimeVisible },
  { version: 12, name: "outbound HTTP: pg_net's API, database webhooks, their outbox and delivery log", sql: net },
  { version: 13, name: "queues: pgmq's API and the pgmq_public wrappers, retry limits and dead-letter queues", sql: pgmq },
  { version: 14, name: "cron: pg_cron's API, its run history, ticks claimed once across nodes", sql: cron },
  { version: 15, name: 'functions: their secrets, shared by every node', sql: functionSecrets },
  { version: 16, name: 'logs: the log store, one table for every node', sql: logs },
];

export const BOOTSTRAP_VERSION = Math.max(...bootstrapSteps.map((s) => s.version));

// Arbitrary constant: serializes concurrent bootstraps of one database (several nodes starting).
const BOOTSTRAP_LOCK = 7_270_001;

export interface BootstrapResult {
  readonly from: number;
  readonly to: number;
  /** The database had never been bootstrapped: a new project. */
  readonly fresh: boolean;
}

export async function bootstrap(db: Database, steps: readonly BootstrapStep[] = bootstrapSteps): Promise<BootstrapResult> {
  return db.transaction(async (tx) => {
    await tx.query(sql`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`);
    // Its DDL only where the table is missing: on every other start it would be the first
    // statement to run, and on PGlite the slowest (its catalog code run for the first time).
    const { rows: found } = await tx.query<{ exists: boolean }>(sql`select to_regclass('_groundwork.bootstrap') is not null as exists`);
    if (found[0]?.exists !== true) {
      await tx.script(`
        create schema if not exists _groundwork;
        create table if not exists _groundwork.bootstrap (
          version integer primary key,
          name text not null,
          applied_at timestamptz not null default now()
        );`);
    }
    const { rows } = await tx.query<{ version: number }>(sql`select coalesce(max(version), 0)::int as version from _groundwork.bootstrap`);
    const from = rows[0]?.version ?? 0;
    for (const step of steps) {
      if (step.version <= from) continue;
      await tx.script(step.sql);
      await tx.query(sql`insert into _groundwork.bootstrap (version, name) values (${step.version}, ${step.name})`);
    }
    const to = Math.max(from, ...steps.map((s) => s.version));
    return { from, to, fresh: from === 0 };
  });
}
