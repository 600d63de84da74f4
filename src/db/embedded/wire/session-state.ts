// A port client's session-level state (SET …, SET ROLE, SET SESSION AUTHORIZATION, and the
// parameters of its start-up packet) lives in PGlite's one session only during its turn: it
// is applied when the turn starts and saved, then reset to the API's, when the turn ends.
// The API's own state is read at the start of each turn and put back exactly.
import { join, sql, type Sql } from '../../../lib/sql.ts';
import type { Row } from '../../port.ts';
import type { HeldSession } from '../session-holder.ts';
import { listeningFixes } from './turn-messages.ts';

export interface SessionState {
  /** Settings whose source is the session (what SET and set_config(…, false) leave). */
  readonly settings: ReadonlyArray<readonly [string, string]>;
  /** `none` without SET ROLE. */
  readonly role: string;
  /** The session user (SET SESSION AUTHORIZATION). */
  readonly authorization: string;
}

export interface Snapshot extends SessionState {
  /** The channels the session listens on (every client's LISTEN lands in the one session). */
  readonly channels: readonly string[];
}

/** Read as whoever the session runs as; pg_settings and these functions are open to every role. */
export const snapshot: Sql = sql`select
  coalesce((select json_agg(json_build_array(name, setting) order by name) from pg_catalog.pg_settings
    where source = 'session' and name not in ('role', 'session_authorization') and name not like 'transaction\\_%'), '[]'::json) as settings,
  pg_catalog.current_setting('role') as role,
  pg_catalog.current_setting('session_authorization') as sa,
  coalesce((select json_agg(c order by c) from pg_catalog.pg_listening_channels() c), '[]'::json) as channels`;

const isPair = (x: unknown): x is [string, string] => Array.isArray(x) && x.length === 2 && typeof x[0] === 'string' && typeof x[1] === 'string';

export function snapshotFrom(row: Row | undefined): Snapshot {
  const settings = row?.['settings'];
  const channels = row?.['channels'];
  const role = row?.['role'];
  const sa = row?.['sa'];
  if (!Array.isArray(settings) || !settings.every(isPair) || !Array.isArray(channels) || typeof role !== 'string' || typeof sa !== 'string') {
    throw new Error('unexpected session snapshot');
  }
  return { settings, role, authorization: sa, channels: channels.filter((c): c is string => typeof c === 'string') };
}

/**
 * One statement that puts `state` in place, the session user before the role (SET SESSION
 * AUTHORIZATION is allowed because the one session logged in as a superuser).
 */
export function apply(state: SessionState): Sql {
  const calls = [
    ...state.settings.map(([name, value]) => sql`pg_catalog.set_config(${name}, ${value}, false)`),
    ...(state.authorization === '' ? [] : [sql`pg_catalog.set_config('session_authorization', ${state.authorization}, false)`]),
    sql`pg_catalog.set_config('role', ${state.role}, false)`,
  ];
  return sql`select ${join(calls)}`;
}

/** RESET ALL leaves the role and the session user alone: `apply` sets those. */
export const resetAll: Sql = sql`reset all`;

/** A turn's start: the client's state goes in; the API's, read first, is returned for `leave`. */
export async function enter(s: HeldSession, client: SessionState): Promise<SessionState> {
  const [snap] = await s.batch([snapshot, apply(client)]);
  return snapshotFrom(snap?.rows[0]);
}

/**
 * A turn's end: the client's state is read back (and returned), the API's put back whatever
 * fails, and channels the client listened on (or unlistened) brought back to `wanted`.
 */
export async function leave(s: HeldSession, api: SessionState, wanted: ReadonlySet<string>): Promise<Snapshot> {
  let mine: Snapshot;
  try {
    const [snap] = await s.batch([snapshot, resetAll, apply(api)]);
    mine = snapshotFrom(snap?.rows[0]);
  } catch (e) {
    await s.batch([resetAll, apply(api)]);
    throw e;
  }
  const fixes = listeningFixes(mine.channels, wanted);
  if (fixes.length > 0) await s.batch(fixes);
  return mine;
}

/** The parameters a server reports to a new client (PostgreSQL 18's GUC_REPORT settings). */
export const REPORTED = [
  'application_name',
  'client_encoding',
  'DateStyle',
  'default_transaction_read_only',
  'in_hot_standby',
  'integer_datetimes',
  'IntervalStyle',
  'is_superuser',
  'scram_iterations',
  'search_path',
  'server_encoding',
  'server_version',
  'session_authorization',
  'standard_conforming_strings',
  'TimeZone',
] as const;

export const reported: Sql = sql`select json_build_object(${join(REPORTED.map((n) => sql`${n}::text, pg_catalog.current_setting(${n}, true)`))}) as reported`;

export function reportedFrom(row: Row | undefined): Array<[string, string]> {
  const r = row?.['reported'];
  if (typeof r !== 'object' || r === null) throw new Error('unexpected reported settings');
  return Object.entries(r).filter((e): e is [string, string] => typeof e[1] === 'string');
}
