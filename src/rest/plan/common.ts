// What every REST plan shares: the execution and rendering facts a plan hands to the
// later stages, and the helpers that derive transaction settings, preferences applied,
// negotiation options and rollback from a request.
import type { Sql } from '../../lib/sql.ts';
import type { SchemaCache } from '../../schema-cache/types.ts';
import type { RestConfig } from '../config.ts';
import type { ApiRequest } from '../request/api-request.ts';
import type { Negotiated, WriteRender } from './types.ts';

export interface Execution {
  readonly statement: Sql;
  readonly readOnly: boolean;
  /** Transaction-local settings besides the caller's (search_path, timezone). */
  readonly settings: ReadonlyArray<readonly [string, string]>;
  /** The rows to count by EXPLAIN: count=planned, or count=estimated past the cap. */
  readonly plannedCount: { readonly rows: Sql; readonly mode: 'planned' | 'estimated'; readonly cap: number | undefined } | undefined;
  /** Accept: application/vnd.pgrst.plan: run EXPLAIN on the statement instead. */
  readonly explain: { readonly format: 'text' | 'json'; readonly options: readonly string[] } | undefined;
  /** The object handler needs exactly one row (else PGRST116, rolled back). */
  readonly singular: boolean;
  /** handling=strict with max-affected: more rows than this roll back (PGRST124). */
  readonly maxAffected: number | undefined;
  /** PUT: exactly one row or PGRST115, rolled back. */
  readonly exactlyOne: boolean;
  /** Prefer tx=rollback (when allowed) or db-tx-end=rollback*: answer, then roll back. */
  readonly rollback: boolean;
}

export interface RenderInfo {
  readonly kind: 'read' | 'insert' | 'update' | 'delete' | 'put' | 'call';
  readonly negotiated: Negotiated;
  readonly headOnly: boolean;
  readonly offset: number;
  readonly count: 'exact' | 'planned' | 'estimated' | undefined;
  readonly contentLocation: string | undefined;
  readonly preferenceApplied: readonly string[];
  readonly write?: WriteRender;
  /** RPC of a void function: 204, no body. */
  readonly void?: boolean;
}

export type RestPlan =
  | { readonly kind: 'statement'; readonly execution: Execution; readonly render: RenderInfo }
  | { readonly kind: 'options'; readonly allow: string }
  | { readonly kind: 'document'; readonly headers: Readonly<Record<string, string>>; readonly body: string | undefined };

/** Negotiation options that depend on the configuration and the database. */
export function negotiation(cache: SchemaCache, config: RestConfig): { planEnabled: boolean; singularAllowed: boolean; geojson: boolean } {
  const geojson = [...cache.routines.keys()].some((k) => k.endsWith('.st_asgeojson'));
  return { planEnabled: config.planEnabled, singularAllowed: true, geojson };
}

function validTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The request's transaction settings: search_path, Prefer timezone, query ids for verbose plans. */
/**
 * JIT off for API requests: each embedding level is a lateral subquery, so the planner's
 * cost of a deep embed passes `jit_above_cost` and PostgreSQL spent 80–290 ms compiling
 * queries that run in under a millisecond (docs/benchmarks.md, 2026-12-03). A function that
 * wants JIT says so in its own definition (`set jit = on`).
 */
const JIT_OFF = ['jit', 'off'] as const;

export function txSettings(req: ApiRequest, config: RestConfig, negotiated: Negotiated): Array<readonly [string, string]> {
  const out: Array<readonly [string, string]> = [['search_path', searchPath(req.schema, config.extraSearchPath)], JIT_OFF];
  if (req.prefer.timezone !== undefined && validTimezone(req.prefer.timezone)) out.push(['timezone', req.prefer.timezone]);
  if (negotiated.plan?.options.includes('verbose') === true) out.push(['compute_query_id', 'on']);
  return out;
}

export function searchPath(schema: string, extra: readonly string[]): string {
  // Not de-duplicated: PostgREST sets exactly the selected schema, then the extra ones.
  return [schema, ...extra].map((s) => `"${s.replaceAll('"', '""')}"`).join(', ');
}

export function rollbackWanted(req: ApiRequest, config: RestConfig): boolean {
  const overridable = config.txEnd.endsWith('allow-override');
  const preferred = overridable ? req.prefer.tx : undefined;
  return (preferred ?? (config.txEnd.startsWith('rollback') ? 'rollback' : 'commit')) === 'rollback';
}

export function appliedPreferences(req: ApiRequest, config: RestConfig, kinds: readonly string[]): string[] {
  const p = req.prefer;
  const out: string[] = [];
  for (const k of kinds) {
    if (k === 'resolution' && p.resolution !== undefined) out.push(`resolution=${p.resolution}`);
    if (k === 'missing' && p.missing !== undefined) out.push(`missing=${p.missing}`);
    if (k === 'return' && p.return !== undefined) out.push(`return=${p.return}`);
    if (k === 'count' && p.count !== undefined) out.push(`count=${p.count}`);
    if (k === 'tx' && p.tx !== undefined && config.txEnd.endsWith('allow-override')) out.push(`tx=${p.tx}`);
    if (k === 'handling' && p.handling !== undefined) out.push(`handling=${p.handling}`);
    if (k === 'timezone' && p.timezone !== undefined) out.push(`timezone=${p.timezone}`);
    if (k === 'max-affected' && p.maxAffected !== undefined && p.handling === 'strict') out.push(`max-affected=${p.maxAffected}`);
  }
  return out;
}
