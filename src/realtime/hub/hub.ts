// Who on this node listens to which stream, and the fan-out to them. A stream is a channel
// name with its privacy: public and private channels of one name are separate (realtime.md
// §7.2). Messages from other nodes arrive through the bus and are delivered here only.
import type { Observer } from '../../observe/events.ts';
import { EncodedBroadcast, type BroadcastMessage } from './broadcast.ts';
import { PresenceTable, type PresenceDiff, type PresenceMap } from './presence.ts';
import type { JsonObject } from '../protocol/frames.ts';

export interface HubMember {
  /** Unique on this node: tells the sender's own channel apart. */
  readonly uid: number;
  readonly self: boolean;
  onBroadcast(message: EncodedBroadcast): void;
  onPresenceDiff(diff: PresenceDiff): void;
}

/** What crosses between nodes; a node that receives its own messages ignores them. */
export type BusMessage =
  | { readonly kind: 'broadcast'; readonly message: BroadcastMessage }
  | { readonly kind: 'presence'; readonly stream: string; readonly owner: string; readonly diff: PresenceDiff };

export interface Bus {
  publish(message: BusMessage): void;
}

export function streamKey(name: string, isPrivate: boolean): string {
  return `${isPrivate ? 'private' : 'public'}:${name}`;
}

export class Hub {
  readonly #streams = new Map<string, Set<HubMember>>();
  readonly #presence = new PresenceTable();
  #bus: Bus | undefined;

  constructor(private readonly observe: Observer) {}

  attachBus(bus: Bus): void {
    this.#bus = bus;
  }

  /** Whether any channel on this node listens to anything. */
  hasMembers(): boolean {
    return this.#streams.size > 0;
  }

  join(stream: string, member: HubMember): void {
    let members = this.#streams.get(stream);
    if (members === undefined) this.#streams.set(stream, (members = new Set()));
    members.add(member);
  }

  leave(stream: string, member: HubMember): void {
    const members = this.#streams.get(stream);
    if (members === undefined) return;
    members.delete(member);
    if (members.size === 0) this.#streams.delete(stream);
  }

  /** Sent by a client or REST on this node: here and on every other node (the envelope drops the local sender). */
  broadcast(message: BroadcastMessage): void {
    this.deliverBroadcast(message);
    this.#bus?.publish({ kind: 'broadcast', message });
  }

  deliverBroadcast(message: BroadcastMessage): void {
    const members = this.#streams.get(streamKey(message.name, message.private));
    if (members === undefined) return;
    const encoded = new EncodedBroadcast(message);
    for (const m of members) {
      if (m.uid === message.senderUid && !m.self) continue;
      this.#guard(() => m.onBroadcast(encoded));
    }
  }

  /** One member only (replayed messages). */
  deliverTo(member: HubMember, message: BroadcastMessage): void {
    this.#guard(() => member.onBroadcast(new EncodedBroadcast(message)));
  }

  /** `owner` names one channel on one node (`node:uid`). */
  track(stream: string, owner: string, key: string, state: JsonObject): void {
    const diff = this.#presence.track(stream, owner, key, state);
    if (diff !== undefined) this.#presenceDiff(stream, owner, diff);
  }

  untrack(stream: string, owner: string): void {
    const diff = this.#presence.untrack(stream, owner);
    if (diff !== undefined) this.#presenceDiff(stream, owner, diff);
  }

  presenceState(stream: string): PresenceMap {
    return this.#presence.state(stream);
  }

  /** Another node's presence change. */
  applyPresence(stream: string, owner: string, diff: PresenceDiff): void {
    this.#presence.apply(stream, owner, diff);
    this.#fanPresence(stream, diff);
  }

  ownPresences(prefix: string): ReturnType<PresenceTable['owned']> {
    return this.#presence.owned(prefix);
  }

  /** Presences whose owners are gone (a node that stopped): their leaves go out here. */
  dropPresence(isGone: (owner: string) => boolean): void {
    for (const stream of [...this.#presence.streams()]) {
      const diff = this.#presence.dropOwners(stream, isGone);
      if (diff !== undefined) this.#fanPresence(stream, diff);
    }
  }

  #presenceDiff(stream: string, owner: string, diff: PresenceDiff): void {
    this.#fanPresence(stream, diff);
    this.#bus?.publish({ kind: 'presence', stream, owner, diff });
  }

  #fanPresence(stream: string, diff: PresenceDiff): void {
    for (const m of this.#streams.get(stream) ?? []) this.#guard(() => m.onPresenceDiff(diff));
  }

  /** One subscriber's failure must not stop the others'. */
  #guard(send: () => void): void {
    try {
      send();
    } catch (error) {
      this.observe({ type: 'realtime-error', where: 'fan-out', message: error instanceof Error ? error.message : String(error) });
    }
  }
}
