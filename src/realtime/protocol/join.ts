// A `phx_join` payload, read leniently as Supabase does (realtime.md §4.1–4.2): a malformed
// part falls back to its default rather than failing the join. Pure.
import { isJsonObject, type JsonObject } from './frames.ts';

export interface ChangeBinding {
  /** The client's entry, echoed back verbatim in the join reply with `id` added. */
  readonly entry: JsonObject;
  readonly id: number;
  /** `*`, or INSERT / UPDATE / DELETE (any other value means `*`). */
  readonly event: '*' | 'INSERT' | 'UPDATE' | 'DELETE';
  readonly schema: string | undefined;
  readonly table: string | undefined;
  readonly filter: string | undefined;
  readonly select: readonly string[] | undefined;
}

export interface JoinRequest {
  readonly ack: boolean;
  readonly self: boolean;
  readonly replay: { readonly since: number; readonly limit: number } | 'invalid' | undefined;
  readonly replicationReady: boolean;
  readonly presenceKey: string;
  readonly presenceEnabled: boolean;
  readonly bindings: readonly ChangeBinding[];
  readonly private: boolean;
  /** `access_token` (or the legacy `user_token`); undefined: use the socket's key. */
  readonly accessToken: string | undefined;
}

const REPLAY_MAX = 25;

/** Booleans, and the strings "true"/"false" Supabase's schema also accepts. */
function flag(v: unknown, fallback: boolean): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return fallback;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** A stable id per binding (FNV-1a of its canonical JSON), below 2^27 as Supabase's are. */
export function bindingId(entry: JsonObject): number {
  let h = 0x811c9dc5;
  for (const ch of canonical(entry)) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & 0x7ffffff;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isJsonObject(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function binding(entry: JsonObject): ChangeBinding {
  const event = text(entry['event'])?.toUpperCase();
  const select = entry['select'];
  return {
    entry,
    id: bindingId(entry),
    event: event === 'INSERT' || event === 'UPDATE' || event === 'DELETE' ? event : '*',
    schema: text(entry['schema']),
    table: text(entry['table']),
    filter: text(entry['filter']),
    select: Array.isArray(select) && select.every((s) => typeof s === 'string') ? (select as string[]) : undefined,
  };
}

function replayOf(v: unknown): JoinRequest['replay'] {
  if (v === undefined || v === null) return undefined;
  if (!isJsonObject(v) || typeof v['since'] !== 'number' || !Number.isInteger(v['since'])) return 'invalid';
  const limit = v['limit'];
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1)) return 'invalid';
  return { since: v['since'], limit: Math.min(typeof limit === 'number' ? limit : REPLAY_MAX, REPLAY_MAX) };
}

export function parseJoin(payload: JsonObject): JoinRequest {
  const config = isJsonObject(payload['config']) ? payload['config'] : {};
  const broadcast = isJsonObject(config['broadcast']) ? config['broadcast'] : {};
  const presence = isJsonObject(config['presence']) ? config['presence'] : {};
  const changes = Array.isArray(config['postgres_changes']) ? config['postgres_changes'] : [];
  const token = text(payload['access_token']) ?? text(payload['user_token']);
  return {
    ack: flag(broadcast['ack'], false),
    self: flag(broadcast['self'], false),
    replay: replayOf(broadcast['replay']),
    replicationReady: flag(broadcast['replication_ready'], false),
    presenceKey: text(presence['key']) ?? '',
    presenceEnabled: flag(presence['enabled'], false),
    bindings: changes.filter(isJsonObject).map(binding),
    private: flag(config['private'], false),
    // An `sb_` key is a project key, not a user's token: the socket's own key stands.
    accessToken: token === undefined || token === '' || token.startsWith('sb_') ? undefined : token,
  };
}
