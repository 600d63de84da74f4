// Presence: who is tracked on each stream, as Phoenix Presence shapes it (realtime.md §8).
// Each tracked meta has a unique `phx_ref`; an owner (one channel somewhere) has at most one
// meta per stream. A change yields the `presence_diff` every subscriber receives; other
// nodes' diffs are applied as they arrive, so `presence_state` lists everyone. Pure.
import { randomBytes } from 'node:crypto';
import type { JsonObject } from '../protocol/frames.ts';

export type Meta = JsonObject & { readonly phx_ref: string };
export type PresenceMap = Record<string, { metas: Meta[] }>;

export interface PresenceDiff {
  readonly joins: PresenceMap;
  readonly leaves: PresenceMap;
}

interface Entry {
  readonly key: string;
  readonly owner: string;
  readonly meta: Meta;
  /** The user's meta as sent, to tell a re-track of the same state (a no-op). */
  readonly json: string;
}

export function newRef(): string {
  return randomBytes(12).toString('base64url');
}

function add(map: PresenceMap, key: string, meta: Meta): void {
  (map[key] ??= { metas: [] }).metas.push(meta);
}

export class PresenceTable {
  /** stream → phx_ref → entry. */
  readonly #streams = new Map<string, Map<string, Entry>>();

  #entries(stream: string): Map<string, Entry> {
    let entries = this.#streams.get(stream);
    if (entries === undefined) this.#streams.set(stream, (entries = new Map()));
    return entries;
  }

  #ownedBy(stream: string, owner: string): Entry | undefined {
    for (const e of this.#streams.get(stream)?.values() ?? []) if (e.owner === owner) return e;
    return undefined;
  }

  /** Undefined when nothing changed (the same state tracked again). */
  track(stream: string, owner: string, key: string, state: JsonObject): PresenceDiff | undefined {
    const json = JSON.stringify(state);
    const previous = this.#ownedBy(stream, owner);
    if (previous !== undefined && previous.key === key && previous.json === json) return undefined;
    const entries = this.#entries(stream);
    const meta: Meta = { ...state, phx_ref: newRef(), ...(previous === undefined ? {} : { phx_ref_prev: previous.meta.phx_ref }) };
    const diff: PresenceDiff = { joins: {}, leaves: {} };
    if (previous !== undefined) {
      entries.delete(previous.meta.phx_ref);
      add(diff.leaves, previous.key, previous.meta);
    }
    entries.set(meta.phx_ref, { key, owner, meta, json });
    add(diff.joins, key, meta);
    return diff;
  }

  untrack(stream: string, owner: string): PresenceDiff | undefined {
    const previous = this.#ownedBy(stream, owner);
    if (previous === undefined) return undefined;
    this.#remove(stream, previous.meta.phx_ref);
    const diff: PresenceDiff = { joins: {}, leaves: {} };
    add(diff.leaves, previous.key, previous.meta);
    return diff;
  }

  /** Every meta `owner`s own, gone at once (a node that stopped answering). */
  dropOwners(stream: string, isGone: (owner: string) => boolean): PresenceDiff | undefined {
    const diff: PresenceDiff = { joins: {}, leaves: {} };
    let any = false;
    for (const e of [...(this.#streams.get(stream)?.values() ?? [])]) {
      if (!isGone(e.owner)) continue;
      this.#remove(stream, e.meta.phx_ref);
      add(diff.leaves, e.key, e.meta);
      any = true;
    }
    return any ? diff : undefined;
  }

  /** Another node's diff: its leaves by ref, its joins under their owner. */
  apply(stream: string, owner: string, diff: PresenceDiff): void {
    for (const { metas } of Object.values(diff.leaves)) for (const m of metas) this.#remove(stream, m.phx_ref);
    const entries = this.#entries(stream);
    for (const [key, { metas }] of Object.entries(diff.joins)) {
      for (const meta of metas) entries.set(meta.phx_ref, { key, owner, meta, json: '' });
    }
  }

  /** Every entry whose owner starts with `prefix` (this node's), for a node that asks. */
  owned(prefix: string): Array<{ stream: string; owner: string; key: string; meta: Meta }> {
    const out: Array<{ stream: string; owner: string; key: string; meta: Meta }> = [];
    for (const [stream, entries] of this.#streams) for (const e of entries.values()) if (e.owner.startsWith(prefix)) out.push({ stream, owner: e.owner, key: e.key, meta: e.meta });
    return out;
  }

  state(stream: string): PresenceMap {
    const out: PresenceMap = {};
    for (const e of this.#streams.get(stream)?.values() ?? []) add(out, e.key, e.meta);
    return out;
  }

  streams(): IterableIterator<string> {
    return this.#streams.keys();
  }

  #remove(stream: string, ref: string): void {
    const entries = this.#streams.get(stream);
    entries?.delete(ref);
    if (entries?.size === 0) this.#streams.delete(stream);
  }
}
