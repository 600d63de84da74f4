// A broadcast on its way to subscribers, encoded at most once per protocol version however
// many sockets receive it (a channel's frames differ only by the topic, which subscribers of
// one stream share). Pure.
import { encodeBinaryBroadcast, encodeFrame, type BroadcastBody, type JsonObject, type Vsn } from '../protocol/frames.ts';
import { fanoutFrame } from '../protocol/replies.ts';

export interface BroadcastMessage {
  /** The channel's name, without `realtime:`. */
  readonly name: string;
  readonly private: boolean;
  readonly event: string;
  readonly body: BroadcastBody;
  /** `{id}` for messages from the database or REST; `{replayed, id}` on replay. */
  readonly meta: JsonObject | null;
  /** Arrived as binary (a v2 socket, the database): v2 subscribers get a kind-4 frame. */
  readonly binary: boolean;
  /** The sending channel, left out of the fan-out unless it asked for `self`. */
  readonly senderUid?: number;
}

export type WireFrame = string | Buffer;

export class EncodedBroadcast {
  #v1: WireFrame | null | undefined;
  #v2: WireFrame | null | undefined;

  constructor(readonly message: BroadcastMessage) {}

  /** The frame for a socket of version `vsn`; null when it cannot carry it (bytes on v1). */
  frame(vsn: Vsn): WireFrame | null {
    if (vsn === '1.0.0') return (this.#v1 ??= this.#text('1.0.0'));
    return (this.#v2 ??= this.message.binary || this.message.body.kind === 'binary' ? this.#binary() : this.#text('2.0.0'));
  }

  #text(vsn: Vsn): string | null {
    const m = this.message;
    if (m.body.kind === 'binary') return null;
    const payload: Record<string, unknown> = { type: 'broadcast', event: m.event, payload: m.body.value };
    if (m.meta !== null) payload['meta'] = m.meta;
    return encodeFrame(vsn, fanoutFrame(`realtime:${m.name}`, 'broadcast', payload));
  }

  #binary(): WireFrame | null {
    const m = this.message;
    return encodeBinaryBroadcast(`realtime:${m.name}`, m.event, m.meta, m.body) ?? this.#text('2.0.0');
  }
}

/** The byte size a payload counts for against the payload limit. */
export function bodySize(body: BroadcastBody): number {
  return body.kind === 'binary' ? body.bytes.byteLength : Buffer.byteLength(JSON.stringify(body.value ?? null) ?? '', 'utf8');
}
