// The bus between Groundwork nodes over one PostgreSQL server: broadcasts and presence
// changes made on one node reach the others through NOTIFY, batched per tick; a message too
// big for a notification goes through the change table, which every node's feed reads.
// (Changes and database broadcasts need no bus: each node reads them from that table.)
// Presence also needs to know who is there: a starting node asks the others for their
// presences, each node says it is alive every few seconds, and the presences of a node
// that went quiet (or said goodbye) leave everywhere.
import type { Database } from '../../db/port.ts';
import { sql } from '../../lib/sql.ts';
import type { Observer } from '../../observe/events.ts';
import { decodeEnvelope, encodeEnvelope, type Envelope } from './envelope.ts';
import type { Bus, BusMessage, Hub } from './hub.ts';

const CHANNEL = 'groundwork_realtime_bus';
/** NOTIFY's limit is 8000 bytes; leave room for the channel name. */
const NOTIFY_MAX = 7900;
const ALIVE_MS = 3000;
/** A node not heard from for this long is gone, and so are its presences. */
const GONE_MS = 10_000;

export class PgBus implements Bus {
  #queue: string[] = [];
  #large: string[] = [];
  #scheduled = false;
  readonly #seen = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #unlisten: (() => Promise<void>) | undefined;

  constructor(
    private readonly db: Database,
    private readonly hub: Hub,
    private readonly nodeId: string,
    private readonly observe: Observer,
  ) {}

  async start(): Promise<void> {
    this.#unlisten = await this.db.listen(CHANNEL, (payload) => this.receive(payload), () => this.#send({ kind: 'hello' }));
    this.#send({ kind: 'hello' });
    this.#timer = setInterval(() => this.#tick(), ALIVE_MS);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#send({ kind: 'bye' });
    await this.#flush();
    await this.#unlisten?.();
  }

  publish(message: BusMessage): void {
    this.#send(message.kind === 'broadcast' ? { kind: 'broadcast', message: message.message } : message);
  }

  /** A notification, or a large message the feed read from the change table. */
  receive(text: string): void {
    const envelope = decodeEnvelope(text);
    if (envelope === undefined) {
      this.observe({ type: 'realtime-error', where: 'bus', message: 'unreadable bus message' });
      return;
    }
    if (envelope.node === this.nodeId) return;
    this.#seen.set(envelope.node, Date.now());
    const m = envelope.body;
    switch (m.kind) {
      case 'broadcast':
        this.hub.deliverBroadcast(m.message);
        return;
      case 'presence':
        this.hub.applyPresence(m.stream, m.owner, m.diff);
        return;
      case 'hello':
        this.#send({ kind: 'state', to: envelope.node, entries: this.hub.ownPresences(`${this.nodeId}:`) });
        return;
      case 'state':
        if (m.to !== this.nodeId) return;
        for (const e of m.entries) this.hub.applyPresence(e.stream, e.owner, { joins: { [e.key]: { metas: [e.meta] } }, leaves: {} });
        return;
      case 'bye':
        this.#drop(envelope.node);
        return;
      case 'alive':
        return;
    }
  }

  #tick(): void {
    this.#send({ kind: 'alive' });
    const now = Date.now();
    for (const [node, at] of this.#seen) if (now - at > GONE_MS) this.#drop(node);
  }

  #drop(node: string): void {
    this.#seen.delete(node);
    this.hub.dropPresence((owner) => owner.startsWith(`${node}:`));
  }

  #send(body: Envelope['body']): void {
    const text = encodeEnvelope({ node: this.nodeId, body });
    (Buffer.byteLength(text) <= NOTIFY_MAX ? this.#queue : this.#large).push(text);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => void this.#flush());
  }

  /** Everything queued in this tick: one statement of notifications, one insert of the rest. */
  async #flush(): Promise<void> {
    this.#scheduled = false;
    const small = this.#queue;
    const large = this.#large;
    this.#queue = [];
    this.#large = [];
    try {
      if (small.length > 0) await this.db.query(sql`select pg_notify(${CHANNEL}, m) from unnest(${small}::text[]) as m`);
      if (large.length > 0) await this.db.query(sql`select _groundwork.realtime_bus_put(${large}::text[])`);
    } catch (error) {
      this.observe({ type: 'realtime-error', where: 'bus', message: error instanceof Error ? error.message : String(error) });
    }
  }
}

