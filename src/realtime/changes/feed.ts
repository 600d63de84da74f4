// The change feed: this node's reader of _groundwork.realtime_changes, where capture
// triggers write every change of a published table (and every realtime.messages insert) in
// the change's own transaction. Every node reads every row, in (xid, id) order and only
// below the oldest transaction still running, so a row that commits late is never skipped
// and none is read twice; each node delivers to its own subscribers. The only I/O stage of
// postgres_changes: it plans subscriptions, runs one visibility statement per batch, and
// hands payloads to the channels.
import type { Database } from '../../db/port.ts';
import { sql } from '../../lib/sql.ts';
import type { Observer } from '../../observe/events.ts';
import type { SchemaSource } from '../../schema-cache/store.ts';
import type { Hub } from '../hub/hub.ts';
import { messageOf } from './messages.ts';
import { filteredRow, type ChangeRow } from './payload.ts';
import { planBindings, type Planned, type PlannedBinding } from './plan.ts';
import { checkChanges, type Candidate } from './deliver.ts';
import { loadCatalog, loadSelectable, type Catalog } from './tables.ts';
import { matches } from './filter.ts';
import type { ChangeSink, ChangeSubscriptions, SubscribeResult } from './types.ts';
import type { ChangeBinding } from '../protocol/join.ts';

const BATCH = 500;
const SWEEP_MS = 1000;
const PRUNE_MS = 60_000;
/** How long changes stay for a node that fell behind, and messages for replay (Supabase: 72 h). */
const CHANGES_KEPT = '10 minutes';
const MESSAGES_KEPT = '72 hours';

export interface FeedOptions {
  /** Messages between nodes that came through the table (src/realtime/hub/pg-bus.ts). */
  readonly onBus?: (text: string) => void;
  /**
   * Sync the capture triggers with the publication at start and after DDL: for a server
   * bootstrapped without a superuser, which has no event trigger doing it as the DDL runs.
   */
  readonly syncTriggers?: boolean;
}

export class ChangeFeed implements ChangeSubscriptions {
  readonly name = 'realtime-changes';
  #catalog: Catalog | undefined;
  #schemaSeen: unknown;
  /** role → relid → readable columns. */
  readonly #selectable = new Map<string, Map<string, ReadonlySet<string>>>();
  readonly #subs = new Map<string, Map<ChangeSink, readonly PlannedBinding[]>>();
  /** What each sink asked for, to plan again after DDL. */
  readonly #asked = new Map<ChangeSink, readonly ChangeBinding[]>();
  #cursor = { xid: '0', id: '0' };
  #startSnapshot = '1:1:';
  #draining: Promise<void> | undefined;
  #again = false;
  #timers: NodeJS.Timeout[] = [];
  #unlisten: (() => Promise<void>) | undefined;
  #stopped = false;

  constructor(
    private readonly db: Database,
    private readonly hub: Hub,
    private readonly schema: SchemaSource,
    private readonly observe: Observer,
    private readonly options: FeedOptions = {},
  ) {}

  /** The catalog is read when a channel first subscribes, not here: a start without sockets pays nothing for it. */
  async start(): Promise<void> {
    if (this.options.syncTriggers === true) await this.db.query(sql`select _groundwork.realtime_sync()`);
    // From the oldest transaction still running (none of its rows may be missed), leaving
    // out what had committed already: the start's snapshot says which.
    const { rows } = await this.db.query<{ xid: string; snapshot: string }>(sql`select pg_snapshot_xmin(s)::text as xid, s::text as snapshot from pg_current_snapshot() as s`);
    this.#cursor = { xid: rows[0]?.xid ?? '0', id: '0' };
    this.#startSnapshot = rows[0]?.snapshot ?? '1:1:';
    this.#unlisten = await this.db.listen('groundwork_realtime', () => this.wake(), () => this.wake());
    // The sweep catches a lost notification; with no one listening on this node there is nothing to catch.
    this.#timers.push(setInterval(() => this.hub.hasMembers() && this.wake(), SWEEP_MS), setInterval(() => void this.#prune(), PRUNE_MS));
    for (const t of this.#timers) t.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const t of this.#timers) clearInterval(t);
    await this.#unlisten?.();
    await this.#draining;
  }

  async subscribe(sink: ChangeSink, bindings: readonly ChangeBinding[]): Promise<SubscribeResult> {
    try {
      let catalog = await this.#current();
      const named = bindings.some((b) => b.table !== undefined && b.table !== '*' && ![...catalog.tables.values()].some((t) => t.name === b.table));
      // A table published a moment ago: read the publication again before refusing.
      if (named) catalog = await this.#refresh();
      const planned = await this.#plan(sink, bindings, catalog);
      if (!planned.ok) return planned;
      this.#register(sink, planned.bindings);
      this.#asked.set(sink, bindings);
      return { ok: true };
    } catch (error) {
      return { ok: false, message: `Unable to subscribe to changes: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  async #plan(sink: ChangeSink, bindings: readonly ChangeBinding[], catalog: Catalog): Promise<Planned> {
    const readable = await this.#readable(sink.caller().role, catalog);
    return planBindings(bindings, catalog.tables.values(), (relid) => readable.get(relid) ?? new Set());
  }

  #register(sink: ChangeSink, planned: readonly PlannedBinding[]): void {
    this.#forget(sink);
    const byTable = new Map<string, PlannedBinding[]>();
    for (const b of planned) byTable.set(b.relid, [...(byTable.get(b.relid) ?? []), b]);
    for (const [relid, list] of byTable) {
      let sinks = this.#subs.get(relid);
      if (sinks === undefined) this.#subs.set(relid, (sinks = new Map()));
      sinks.set(sink, list);
    }
  }

  /**
   * After DDL every subscription is planned again, as Supabase resubscribes when the
   * publication changes: a schema-wide binding takes in a table published since, a dropped
   * column's filter stops matching. One that no longer plans keeps its previous plan.
   */
  async #replan(catalog: Catalog): Promise<void> {
    for (const [sink, bindings] of this.#asked) {
      const planned = await this.#plan(sink, bindings, catalog);
      if (planned.ok) this.#register(sink, planned.bindings);
    }
  }

  unsubscribe(sink: ChangeSink): void {
    this.#asked.delete(sink);
    this.#forget(sink);
  }

  #forget(sink: ChangeSink): void {
    for (const [relid, sinks] of this.#subs) {
      sinks.delete(sink);
      if (sinks.size === 0) this.#subs.delete(relid);
    }
  }

  wake(): void {
    if (this.#stopped) return;
    if (this.#draining !== undefined) {
      this.#again = true;
      return;
    }
    this.#draining = this.#drain()
      .catch((error: unknown) => this.observe({ type: 'realtime-error', where: 'change feed', message: error instanceof Error ? error.message : String(error) }))
      .finally(() => {
        this.#draining = undefined;
        if (this.#again) {
          this.#again = false;
          this.wake();
        }
      });
  }

  async #current(): Promise<Catalog> {
    if (this.#catalog === undefined || this.schema.current !== this.#schemaSeen) return this.#refresh();
    return this.#catalog;
  }

  /** After DDL: the publication, the columns and the privileges may all have changed. */
  async #refresh(): Promise<Catalog> {
    this.#schemaSeen = this.schema.current;
    if (this.options.syncTriggers === true) await this.db.query(sql`select _groundwork.realtime_sync()`);
    const catalog = (this.#catalog = await loadCatalog(this.db));
    this.#selectable.clear();
    await this.#replan(catalog);
    return catalog;
  }

  async #readable(role: string, known?: Catalog): Promise<Map<string, ReadonlySet<string>>> {
    const catalog = known ?? (await this.#current());
    let byTable = this.#selectable.get(role);
    if (byTable === undefined || [...catalog.tables.keys()].some((r) => !byTable?.has(r))) {
      byTable = await loadSelectable(this.db, role, [...catalog.tables.keys()]);
      this.#selectable.set(role, byTable);
    }
    return byTable;
  }

  /**
   * Reads and checks batch after batch while the one before is sent: the check is the
   * database's work, the sending this thread's, and a batch used to wait for both in turn.
   * Goes on while changes keep coming (a wake meanwhile), so the two overlap under load.
   */
  async #drain(): Promise<void> {
    let sending: Promise<void> = Promise.resolve();
    try {
      for (;;) {
        const { rows } = await this.db.query<{ id: string; xid: string; relid: string; op: ChangeRow['op']; record: Record<string, unknown> | null; old_record: Record<string, unknown> | null; at: string }>(sql`
          select c.id::text as id, c.xid::text as xid, c.relid::text as relid, c.op, c.record, c.old_record,
                 to_char(c.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at
          from _groundwork.realtime_changes as c
          where (c.xid, c.id) > (${this.#cursor.xid}::xid8, ${this.#cursor.id}::int8) and c.xid < pg_snapshot_xmin(pg_current_snapshot())
            and not pg_visible_in_snapshot(c.xid, ${this.#startSnapshot}::pg_snapshot)
          -- Qualified: the bare names would sort by the text columns above ('1000' < '999').
          order by c.xid, c.id limit ${BATCH}`);
        if (rows.length === 0) return;
        const send = await this.#process(rows.map((r) => ({ id: r.id, xid: r.xid, relid: r.relid, op: r.op, record: r.record, oldRecord: r.old_record, at: r.at })));
        const last = rows[rows.length - 1];
        if (last !== undefined) this.#cursor = { xid: last.xid, id: last.id };
        // One batch sending at most, while the next is read and checked.
        await sending;
        if (send !== undefined) sending = send();
        if (this.#stopped) return;
        if (rows.length < BATCH) {
          if (!this.#again) return;
          this.#again = false;
        }
      }
    } finally {
      await sending;
    }
  }

  /** Hands over a batch's broadcasts and checks its changes; resolves to the step that sends them. */
  async #process(changes: readonly ChangeRow[]): Promise<(() => Promise<void>) | undefined> {
    for (const change of changes) {
      const text = change.relid === '0' ? change.record?.['bus'] : undefined;
      if (typeof text === 'string') this.options.onBus?.(text);
    }
    // No channel on this node: nothing to deliver, and no catalog to read for it.
    if (!this.hub.hasMembers()) return undefined;
    const catalog = await this.#current();
    const candidates: Candidate[] = [];
    for (const change of changes) {
      if (change.relid === '0') continue;
      if (change.relid === catalog.messagesRelid) {
        const message = messageOf(change);
        if (message !== undefined) this.hub.deliverBroadcast(message);
        continue;
      }
      const table = catalog.tables.get(change.relid);
      const sinks = this.#subs.get(change.relid);
      if (table === undefined || sinks === undefined) continue;
      const row = filteredRow(change, table);
      const hits = (b: PlannedBinding) => (b.event === '*' || b.event === change.op) && (b.conditions.length === 0 || matches(b.conditions, row));
      for (const [sink, bindings] of sinks) {
        // The sink's own list when every binding matched (the usual case): its delivery facts are kept per list.
        const hit = bindings.every(hits) ? bindings : bindings.filter(hits);
        if (hit.length > 0) candidates.push({ change, table, sink, bindings: hit });
      }
    }
    if (candidates.length === 0) return undefined;
    const roles = new Set(candidates.map((c) => c.sink.caller().role));
    const readable = new Map<string, Map<string, ReadonlySet<string>>>();
    for (const role of roles) readable.set(role, await this.#readable(role));
    return checkChanges(this.db, candidates, (role, relid) => readable.get(role)?.get(relid) ?? new Set());
  }

  async #prune(): Promise<void> {
    try {
      await this.db.query(sql`select _groundwork.realtime_prune(${CHANGES_KEPT}::interval, ${MESSAGES_KEPT}::interval)`);
    } catch (error) {
      this.observe({ type: 'realtime-error', where: 'prune', message: error instanceof Error ? error.message : String(error) });
    }
  }
}
