// One WebSocket: frames in (decoded, then handled in arrival order), frames out (bounded by
// the send buffer), heartbeats, the channel table, and Phoenix's channel rules as
// realtime-js relies on them (realtime.md §3).
import type { WebSocket } from 'ws';
import type { WireFrame } from '../hub/broadcast.ts';
import { decode, encodeFrame, type Frame, type Inbound, type Vsn } from '../protocol/frames.ts';
import { parseJoin } from '../protocol/join.ts';
import { closeFrame, reply, systemFrame } from '../protocol/replies.ts';
import { admit } from './admit.ts';
import { Channel, type ChannelOwner } from './channel.ts';
import type { RealtimeContext } from './context.ts';

/** Phoenix's idle timeout: a socket silent this long is closed (clients beat every 25 s). */
const IDLE_MS = 60_000;

export class Connection implements ChannelOwner {
  readonly #channels = new Map<string, Channel>();
  #queue: Promise<void> = Promise.resolve();
  #idle: NodeJS.Timeout;
  #closed = false;
  #corked = false;

  constructor(
    private readonly ws: WebSocket,
    readonly vsn: Vsn,
    private readonly socketToken: string,
    private readonly headers: Readonly<Record<string, string>>,
    private readonly ctx: RealtimeContext,
  ) {
    this.#idle = this.#armIdle();
    ctx.traffic?.opened();
    ws.on('message', (data, isBinary) => this.#receive(Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data), isBinary));
    ws.on('close', () => this.#teardown());
    ws.on('error', () => this.#teardown());
  }

  #armIdle(): NodeJS.Timeout {
    const t = setTimeout(() => this.close('idle'), IDLE_MS);
    t.unref();
    return t;
  }

  #receive(data: Buffer, isBinary: boolean): void {
    this.#idle.refresh();
    this.ctx.traffic?.received();
    const decoded = decode(this.vsn, data, isBinary);
    if (!decoded.ok) {
      // Supabase logs a malformed frame and keeps the socket; so do we.
      this.ctx.observe({ type: 'realtime-error', where: 'frame', message: decoded.reason });
      return;
    }
    const m = decoded.message;
    if (m.type === 'frame' && m.frame.topic === 'phoenix' && m.frame.event === 'heartbeat') {
      this.send(reply('phoenix', null, m.frame.ref, 'ok'));
      return;
    }
    // In order, one at a time: a join's checks finish before the next push is seen.
    this.#queue = this.#queue.then(() => this.#dispatch(m)).catch((error: unknown) => {
      this.ctx.observe({ type: 'realtime-error', where: 'socket', message: error instanceof Error ? error.message : String(error) });
    });
  }

  async #dispatch(m: Inbound): Promise<void> {
    if (this.#closed) return;
    if (m.type === 'broadcast') {
      const channel = this.#current(m.broadcast.topic, m.broadcast.joinRef, m.broadcast.ref);
      return channel?.handleBinary(m.broadcast);
    }
    const f = m.frame;
    if (f.event === 'phx_join') return this.#join(f);
    const channel = this.#current(f.topic, f.joinRef, f.ref);
    if (channel === undefined) return;
    if (f.event === 'phx_leave') {
      this.send(reply(f.topic, f.joinRef, f.ref, 'ok'));
      this.#end(channel);
      return;
    }
    return channel.handle(f);
  }

  /** The joined channel a push is for; a stale join_ref is ignored, an unknown topic answered. */
  #current(topic: string, joinRef: string | null, ref: string | null): Channel | undefined {
    const channel = this.#channels.get(topic);
    if (channel === undefined) {
      this.send(reply(topic, null, ref, 'error', { reason: 'unmatched topic' }));
      return undefined;
    }
    if (joinRef !== null && channel.joinRef !== null && joinRef !== channel.joinRef) return undefined;
    return channel;
  }

  async #join(f: Frame): Promise<void> {
    const refuse = (reason: string) => this.send(reply(f.topic, f.joinRef, f.ref, 'error', { reason }));
    if (!f.topic.startsWith('realtime:')) return this.send(reply(f.topic, null, f.ref, 'error', { reason: 'unmatched topic' }));
    const name = f.topic.slice('realtime:'.length);
    if (name === '') return refuse('TopicNameRequired: You must provide a topic name');
    // A second join of a joined topic replaces the first (Phoenix closes the old one).
    const old = this.#channels.get(f.topic);
    if (old !== undefined) this.#end(old);
    const request = parseJoin(f.payload);
    const admission = await admit(this.ctx, {
      name,
      request,
      socketToken: this.socketToken,
      channelsOnSocket: this.#channels.size,
      socketActive: this.ctx.activeSockets.has(this),
      headers: this.headers,
    });
    if (this.#closed) return;
    if (!admission.ok) {
      refuse(admission.reason);
      if (admission.closeSocket === true) this.close('joins per second');
      return;
    }
    const channel = new Channel(this, this.ctx, {
      topic: f.topic,
      joinRef: f.joinRef ?? f.ref,
      private: request.private,
      self: request.self,
      ack: request.ack,
      presenceKey: request.presenceKey,
      presenceReadable: admission.presenceReadable,
      token: admission.token,
      caller: admission.caller,
      exp: admission.exp,
      bindings: request.bindings,
    });
    this.#channels.set(f.topic, channel);
    this.ctx.activeSockets.add(this);
    channel.start();
    this.send(reply(f.topic, f.joinRef, f.ref, 'ok', { postgres_changes: request.bindings.map((b) => ({ ...b.entry, id: b.id })) }));
    if (request.presenceEnabled && admission.presenceReadable) channel.sendPresenceState();
    if (request.replicationReady) channel.system('system', 'ok', 'Replication connection established');
    if (request.replay !== undefined && request.replay !== 'invalid') await this.#replay(channel, request.replay);
    if (request.bindings.length > 0) {
      const result = await this.ctx.changes.subscribe(channel, request.bindings);
      if (!channel.stopped) channel.system('postgres_changes', result.ok ? 'ok' : 'error', result.ok ? 'Subscribed to PostgreSQL' : result.message);
    }
  }

  async #replay(channel: Channel, replay: { since: number; limit: number }): Promise<void> {
    try {
      const messages = await this.ctx.replay.replay(channel.caller(), channel.name, replay.since, replay.limit);
      for (const message of messages) this.ctx.hub.deliverTo(channel, message);
    } catch (error) {
      channel.system('system', 'error', `Unable to replay messages: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  send(frame: Frame): void {
    this.sendWire(encodeFrame(this.vsn, frame));
  }

  sendWire(data: WireFrame): void {
    if (this.#closed) return;
    // A client that does not read is cut off rather than buffered without bound.
    if (this.ws.bufferedAmount > this.ctx.limits.sendBufferBytes) {
      this.ctx.observe({ type: 'realtime-disconnect', reason: 'send buffer full' });
      this.ws.terminate();
      this.#teardown();
      return;
    }
    this.#cork();
    this.ws.send(data);
    this.ctx.traffic?.sent();
  }

  /**
   * Frames sent in one turn of the event loop leave in one write: a batch of changes is
   * many frames per socket, and a write each was a third of the server's time. (`ws` corks
   * around each frame itself; an outer cork holds them until the turn ends.)
   */
  #cork(): void {
    if (this.#corked) return;
    const socket = (this.ws as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
    if (socket === undefined) return;
    this.#corked = true;
    socket.cork();
    setImmediate(() => {
      this.#corked = false;
      socket.uncork();
    });
  }

  stopChannel(channel: Channel, systemError?: string): void {
    if (this.#channels.get(channel.topic) !== channel) return;
    if (systemError !== undefined) this.send(systemFrame(channel.topic, channel.joinRef, 'system', 'error', systemError));
    this.#end(channel);
  }

  #end(channel: Channel): void {
    this.send(closeFrame(channel.topic, channel.joinRef));
    this.#forget(channel);
  }

  #forget(channel: Channel): void {
    channel.stop();
    if (this.#channels.get(channel.topic) === channel) this.#channels.delete(channel.topic);
    if (this.#channels.size === 0) this.ctx.activeSockets.delete(this);
  }

  close(reason: string): void {
    if (this.#closed) return;
    this.ctx.observe({ type: 'realtime-disconnect', reason });
    this.ws.close(1000, reason);
    this.#teardown();
  }

  #teardown(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#idle);
    this.ctx.traffic?.closed();
    for (const channel of [...this.#channels.values()]) this.#forget(channel);
  }
}
