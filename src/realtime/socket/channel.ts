// One joined channel of one socket: its pushes (broadcast, presence, access_token), what
// it receives from the hub and the change feed, and its token's lifetime.
import type { Caller } from '../../db/port.ts';
import type { ChangeSink } from '../changes/types.ts';
import { bodySize, type EncodedBroadcast, type WireFrame } from '../hub/broadcast.ts';
import { streamKey, type HubMember } from '../hub/hub.ts';
import type { PresenceDiff } from '../hub/presence.ts';
import { CallLimit } from '../limits/rate.ts';
import type { Extension } from '../private/types.ts';
import { isJsonObject, type BinaryBroadcast, type BroadcastBody, type Frame, type Vsn } from '../protocol/frames.ts';
import type { ChangeBinding } from '../protocol/join.ts';
import { fanoutFrame, reply, systemFrame } from '../protocol/replies.ts';
import type { RealtimeContext } from './context.ts';
import { checkToken, expiredMessage } from './token.ts';

/** What a channel needs of its socket. */
export interface ChannelOwner {
  readonly vsn: Vsn;
  send(frame: Frame): void;
  sendWire(data: WireFrame): void;
  /** Ends the channel from the server's side: a system error (if any), then phx_close. */
  stopChannel(channel: Channel, systemError?: string): void;
}

export interface ChannelInit {
  readonly topic: string;
  readonly joinRef: string | null;
  readonly private: boolean;
  readonly self: boolean;
  readonly ack: boolean;
  readonly presenceKey: string;
  readonly presenceReadable: boolean;
  readonly token: string;
  readonly caller: Caller;
  readonly exp: number;
  readonly bindings: readonly ChangeBinding[];
}

const TOKEN_RECHECK_MS = 5 * 60_000;
const PRESENCE_CALLS = 5;
const PRESENCE_WINDOW_MS = 30_000;
let nextUid = 1;

export class Channel implements HubMember, ChangeSink {
  readonly uid = nextUid++;
  readonly topic: string;
  readonly name: string;
  readonly joinRef: string | null;
  readonly private: boolean;
  readonly self: boolean;
  readonly ack: boolean;
  readonly stream: string;
  readonly bindings: readonly ChangeBinding[];
  readonly #presenceKey: string;
  #presenceReadable: boolean;
  #token: string;
  #caller: Caller;
  #exp: number;
  #timer: NodeJS.Timeout | undefined;
  readonly #writable = new Map<Extension, Promise<boolean>>();
  readonly #presenceCalls = new CallLimit(PRESENCE_CALLS, PRESENCE_WINDOW_MS);
  #stopped = false;

  constructor(
    private readonly owner: ChannelOwner,
    private readonly ctx: RealtimeContext,
    init: ChannelInit,
  ) {
    this.topic = init.topic;
    this.name = init.topic.slice('realtime:'.length);
    this.joinRef = init.joinRef;
    this.private = init.private;
    this.self = init.self;
    this.ack = init.ack;
    this.stream = streamKey(this.name, init.private);
    this.bindings = init.bindings;
    // An empty key gets a UUID per channel, as on Supabase.
    this.#presenceKey = init.presenceKey === '' ? crypto.randomUUID() : init.presenceKey;
    this.#presenceReadable = init.presenceReadable;
    this.#token = init.token;
    this.#caller = init.caller;
    this.#exp = init.exp;
  }

  get vsn(): Vsn {
    return this.owner.vsn;
  }

  get presenceOwner(): string {
    return `${this.ctx.nodeId}:${this.uid}`;
  }

  caller(): Caller {
    return this.#caller;
  }

  #identity: string | undefined;
  identity(): string {
    return (this.#identity ??= `${this.#caller.role}\u0000${JSON.stringify(this.#caller.claims)}`);
  }

  sendText(text: string): void {
    if (!this.#stopped) this.owner.sendWire(text);
  }

  start(): void {
    this.ctx.hub.join(this.stream, this);
    this.#armExpiry();
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.ctx.hub.leave(this.stream, this);
    this.ctx.hub.untrack(this.stream, this.presenceOwner);
    if (this.bindings.length > 0) this.ctx.changes.unsubscribe(this);
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  send(frame: Frame): void {
    if (!this.#stopped) this.owner.send(frame);
  }

  system(extension: 'postgres_changes' | 'system', status: 'ok' | 'error', message: string): void {
    this.send(systemFrame(this.topic, this.joinRef, extension, status, message));
  }

  onBroadcast(message: EncodedBroadcast): void {
    const frame = message.frame(this.owner.vsn);
    if (frame !== null && !this.#stopped) this.owner.sendWire(frame);
  }

  onPresenceDiff(diff: PresenceDiff): void {
    if (this.#presenceReadable) this.send(fanoutFrame(this.topic, 'presence_diff', { joins: diff.joins, leaves: diff.leaves }));
  }

  sendPresenceState(): void {
    this.send({ joinRef: this.joinRef, ref: null, topic: this.topic, event: 'presence_state', payload: this.ctx.hub.presenceState(this.stream) });
  }

  /** A push other than join and leave. */
  async handle(frame: Frame): Promise<void> {
    switch (frame.event) {
      case 'broadcast': {
        const p = frame.payload;
        if (typeof p['event'] !== 'string') return this.#ack(frame.ref, 'error', { reason: 'broadcast needs an event' });
        return this.#broadcast(frame.ref, p['event'], { kind: 'json', value: p['payload'] }, false);
      }
      case 'presence':
        return this.#presence(frame);
      case 'access_token':
        return this.#accessToken(frame.payload['access_token']);
      default:
        this.send(reply(this.topic, frame.joinRef, frame.ref, 'error', { reason: `unknown event ${JSON.stringify(frame.event)}` }));
    }
  }

  async handleBinary(b: BinaryBroadcast): Promise<void> {
    return this.#broadcast(b.ref, b.event, b.body, true);
  }

  /** A broadcast's reply, sent only to a channel that asked for acks. */
  #ack(ref: string | null, status: 'ok' | 'error', response: Record<string, unknown> = {}): void {
    if (this.ack) this.send(reply(this.topic, this.joinRef, ref, status, response));
  }

  async #broadcast(ref: string | null, event: string, body: BroadcastBody, binary: boolean): Promise<void> {
    if (bodySize(body) > this.ctx.limits.maxPayloadBytes) return this.#ack(ref, 'error', { error: 'payload_size_exceeded' });
    if (!this.ctx.eventRate.add()) return this.owner.stopChannel(this, 'Too many messages per second');
    // A private channel's sender needs the write policy; a refusal is silent, as on Supabase.
    if (this.private && !(await this.#canWrite('broadcast'))) return;
    this.ctx.hub.broadcast({ name: this.name, private: this.private, event, body, meta: null, binary, senderUid: this.uid });
    this.#ack(ref, 'ok');
  }

  async #presence(frame: Frame): Promise<void> {
    const p = frame.payload;
    const event = typeof p['event'] === 'string' ? p['event'].toLowerCase() : '';
    const answer = (status: 'ok' | 'error', response: Record<string, unknown> = {}) => this.send(reply(this.topic, frame.joinRef, frame.ref, status, response));
    if (event !== 'track' && event !== 'untrack') return answer('error', {});
    if (!this.#presenceCalls.take()) return this.owner.stopChannel(this, 'Client presence rate limit exceeded');
    if (!this.ctx.eventRate.add()) return this.owner.stopChannel(this, 'Too many presence messages per second');
    if (this.private && !(await this.#canWrite('presence'))) return answer('error', {});
    if (event === 'untrack') {
      this.ctx.hub.untrack(this.stream, this.presenceOwner);
      return answer('ok');
    }
    const state = p['payload'] ?? {};
    if (!isJsonObject(state)) return answer('error', { reason: 'Presence track payload must be a map' });
    if (Buffer.byteLength(JSON.stringify(state)) > this.ctx.limits.maxPayloadBytes) return this.owner.stopChannel(this, 'Track message size exceeded');
    this.ctx.hub.track(this.stream, this.presenceOwner, this.#presenceKey, state);
    answer('ok');
  }

  #canWrite(extension: Extension): Promise<boolean> {
    let allowed = this.#writable.get(extension);
    if (allowed === undefined) {
      allowed = this.ctx.policies.canWrite(this.#caller, this.name, extension).catch(() => false);
      this.#writable.set(extension, allowed);
    }
    return allowed;
  }

  /** A refreshed token (realtime.md §9.3): never answered; a bad one ends the channel. */
  async #accessToken(token: unknown): Promise<void> {
    if (typeof token !== 'string' || token === '' || token.startsWith('sb_') || token === this.#token) return;
    const check = await checkToken(this.ctx.verify, token, this.ctx.roles());
    if (this.#stopped) return;
    if (!check.ok) return this.owner.stopChannel(this, check.message);
    this.#token = token;
    this.#exp = check.exp;
    this.#caller = { ...this.#caller, role: check.role, claims: { ...check.claims, role: check.role } };
    this.#identity = undefined;
    this.#writable.clear();
    this.#armExpiry();
    if (this.private) {
      const readable = await this.ctx.policies.canRead(this.#caller, this.name, ['broadcast', 'presence']).catch(() => new Set<Extension>());
      if (readable.size === 0) return this.owner.stopChannel(this, `You no longer have permission to read from this Channel topic: ${this.name}`);
      this.#presenceReadable = readable.has('presence');
    }
  }

  #armExpiry(): void {
    clearTimeout(this.#timer);
    const ms = Math.max(0, Math.min(TOKEN_RECHECK_MS, this.#exp * 1000 - Date.now()));
    this.#timer = setTimeout(() => {
      if (this.#exp * 1000 <= Date.now()) this.owner.stopChannel(this, expiredMessage(this.#exp, Date.now()));
      else this.#armExpiry();
    }, ms);
    this.#timer.unref();
  }
}
