// Metrics read when Prometheus scrapes rather than observed as they happen: the database
// pools' use (the port's `stats()`) and the outbox lag (one query). Nothing runs between
// scrapes.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Database, PoolStats } from '../../db/port.ts';
import { LAG_CHANNELS, readOutboxLag, type ChannelLag, type LagChannel } from './outbox-lag.ts';

export interface ScrapeSources {
  /** The pools by label: `admin`, `api`, `auth` on a server; the embedded database's one session. */
  readonly pools: ReadonlyArray<readonly [string, Database]>;
  /** Where the outbox lag is read. */
  readonly admin: Database;
}

/** One outbox query per scrape, however many gauges read it. */
function sharedRead(read: () => Promise<Record<LagChannel, ChannelLag>>): () => Promise<Record<LagChannel, ChannelLag> | undefined> {
  let last: { at: number; result: Promise<Record<LagChannel, ChannelLag> | undefined> } | undefined;
  return () => {
    const at = performance.now();
    if (last === undefined || at - last.at > 1000) last = { at, result: read().catch(() => undefined) };
    return last.result;
  };
}

export function registerScrapeMetrics(registry: Registry, sources: ScrapeSources): void {
  const registers = [registry];
  const each = (pick: (s: PoolStats) => number) =>
    function (this: Gauge<'pool'>) {
      for (const [pool, db] of sources.pools) {
        const stats = db.stats?.();
        if (stats !== undefined) this.labels(pool).set(pick(stats));
      }
    };
  // Counters read from the pool's running totals: each scrape adds what grew since the last.
  const growing = (pick: (s: PoolStats) => number) => {
    const seen = new Map<string, number>();
    return function (this: Counter<'pool'>) {
      for (const [pool, db] of sources.pools) {
        const stats = db.stats?.();
        if (stats === undefined) continue;
        const total = pick(stats);
        const grown = total - (seen.get(pool) ?? 0);
        if (grown > 0) this.labels(pool).inc(grown);
        seen.set(pool, total);
      }
    };
  };
  const labelNames = ['pool'] as const;
  new Gauge({ name: 'groundwork_db_pool_max_connections', help: 'Connections a pool may hold (the embedded database: its one session).', labelNames, registers, collect: each((s) => s.max) });
  new Gauge({ name: 'groundwork_db_pool_busy_connections', help: 'Connections held by a statement or transaction at scrape time.', labelNames, registers, collect: each((s) => s.busy) });
  new Gauge({ name: 'groundwork_db_pool_waiting_transactions', help: 'Transactions waiting for a connection (or the session) at scrape time.', labelNames, registers, collect: each((s) => s.waiting) });
  new Counter({ name: 'groundwork_db_pool_acquires_total', help: 'Connections (or session turns) handed to a transaction.', labelNames, registers, collect: growing((s) => s.acquired) });
  new Counter({
    name: 'groundwork_db_pool_wait_seconds_total',
    help: 'Time transactions spent waiting for a connection (or the session); divide by the acquires for the mean wait.',
    labelNames,
    registers,
    collect: growing((s) => s.waitedMs / 1000),
  });

  const lag = sharedRead(() => readOutboxLag(sources.admin));
  const lagGauge = (name: string, help: string, pick: (l: ChannelLag) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['channel'] as const,
      registers,
      async collect() {
        const read = await lag();
        // Unreadable (database down): no figure rather than a stale one.
        if (read === undefined) this.reset();
        else for (const channel of LAG_CHANNELS) this.labels(channel).set(pick(read[channel]));
      },
    });
  lagGauge('groundwork_outbox_pending_messages', 'Messages waiting to be delivered, by channel: email and sms (the outbox), http (webhooks and net.http_* requests).', (l) => l.pending);
  lagGauge('groundwork_outbox_oldest_pending_age_seconds', 'Age of the oldest message waiting to be delivered, by channel (0 when none waits).', (l) => l.oldestSeconds);
}
