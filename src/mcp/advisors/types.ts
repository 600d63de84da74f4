// The advisors' vocabulary: a lint as Supabase's Management API answers it
// (`GET /v1/projects/{ref}/advisors/{type}`), the grouped form MCP 0.11 returns, and the
// definition each lint file declares (its fixed texts plus one catalog query).
import type { Row } from '../../db/port.ts';
import type { Sql } from '../../lib/sql.ts';
import type { HealthThresholds } from './thresholds.ts';

export type AdvisorType = 'security' | 'performance' | 'health';
export const ADVISOR_TYPES: readonly AdvisorType[] = ['security', 'performance', 'health'];

export type LintLevel = 'ERROR' | 'WARN' | 'INFO';
/** Supabase's two, and ours for the health advisor. */
export type LintCategory = 'SECURITY' | 'PERFORMANCE' | 'HEALTH';

/** What a finding is about: `schema`, `name` and `type` as Supabase's lints, plus lint-specific facts. */
export interface LintMetadata {
  readonly schema?: string;
  readonly name?: string;
  readonly type?: string;
  readonly [fact: string]: unknown;
}

/** One finding, in the Management API's shape. */
export interface Lint {
  readonly name: string;
  readonly title: string;
  readonly level: LintLevel;
  readonly facing: 'EXTERNAL';
  readonly categories: readonly LintCategory[];
  readonly description: string;
  readonly detail: string;
  /** A URL (Supabase's linter docs, PostgreSQL's docs, or a path of this server's admin API). */
  readonly remediation: string;
  readonly metadata: LintMetadata;
  readonly cache_key: string;
}

/** MCP 0.11's form: one entry per lint (and level), its findings beneath, `cache_key` dropped. */
export interface LintGroup {
  readonly name: string;
  readonly title: string;
  readonly level: LintLevel;
  readonly facing: 'EXTERNAL';
  readonly categories: readonly LintCategory[];
  readonly description: string;
  readonly remediation: string;
  readonly count: number;
  readonly findings: ReadonlyArray<{ readonly detail: string; readonly metadata: LintMetadata }>;
}

export interface AdvisorResult {
  readonly lints: readonly LintGroup[];
  /** Health only: the numbers behind the health lints, so "no findings" still says something. */
  readonly metrics?: HealthMetrics;
}

export interface HealthMetrics {
  readonly database_size_bytes: number;
  /** Client sessions and the usable limit; null on the embedded database (one session). */
  readonly connections: { readonly used: number; readonly max: number } | null;
  /** Shared-buffer hits over all block reads since the statistics were reset; null before any read. */
  readonly cache_hit_ratio: number | null;
  readonly transaction_id_age: number;
  readonly outbox: ReadonlyArray<{ readonly channel: string; readonly unsent: number; readonly oldest_unsent_seconds: number | null }>;
  readonly http_requests: { readonly pending: number; readonly oldest_pending_seconds: number | null };
  readonly queues: ReadonlyArray<{ readonly queue: string; readonly length: number; readonly oldest_message_seconds: number | null }>;
  readonly cron: { readonly jobs: number; readonly active: number; readonly failed_runs_24h: number };
}

/** What a lint's query may depend on. */
export interface LintScope {
  /** The REST API's exposed schemas (config `dbSchemas`). */
  readonly exposedSchemas: readonly string[];
  readonly mode: 'embedded' | 'server';
  readonly thresholds: HealthThresholds;
}

/** What a row of a lint's query says; the lint's fixed texts complete it into a `Lint`. */
export interface Finding {
  readonly detail: string;
  readonly metadata: LintMetadata;
  /** Parts of the cache key after the lint's name (schema, object…). */
  readonly key: readonly string[];
  /** When the finding's severity depends on how far past a threshold it is. */
  readonly level?: LintLevel;
}

export interface LintDefinition {
  readonly name: string;
  readonly title: string;
  readonly level: LintLevel;
  readonly categories: readonly LintCategory[];
  readonly description: string;
  readonly remediation: string;
  /** One catalog query, or undefined when the lint does not apply (e.g. on the embedded database). */
  query(scope: LintScope): Sql | undefined;
  /** A row into a finding, or undefined when the row turns out fine (checks easier in TypeScript). */
  finding(row: Row, scope: LintScope): Finding | undefined;
}

/** Declares a lint whose query returns rows of type `R` (its own SQL, so the shape is known). */
export function defineLint<R extends Row>(def: Omit<LintDefinition, 'finding'> & { finding(row: R, scope: LintScope): Finding | undefined }): LintDefinition {
  return { ...def, finding: (row, scope) => def.finding(row as R, scope) };
}

/** Supabase's linter page for one of its lints (`0013_rls_disabled_in_public`…). */
export const linterDocs = (lint: string): string => `https://supabase.com/docs/guides/database/database-linter?lint=${lint}`;
