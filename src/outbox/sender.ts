// Drains one channel of the outbox, after commit: woken by the NOTIFY each queued message
// raises (delivered by PostgreSQL only once the flow's transaction commits, to every node)
// and by a sweep every few seconds, which picks up what a crash, a lost notification or a
// retry delay left behind. Rows are claimed with a lease (claims.ts), so nodes sharing a
// database do not send the same message; a failed send stays queued with its error and a
// backoff. The channel's transport does the sending; `report` turns outcomes into its
// observations.
import type { Database, Unlisten } from '../db/port.ts';
import { rerunnable } from '../lib/rerun.ts';
import { claim, markAbandoned, markFailed, markSent, MAX_ATTEMPTS, NOTIFY_CHANNEL, PermanentDeliveryError, release, retryDelaySeconds, type OutboxChannel, type OutboxRow } from './claims.ts';

export const SWEEP_MS = 5_000;
const BATCH = 10;
const ERROR_LENGTH = 1_000;

export interface OutboxTransport {
  /** Sends one row; resolves with the provider's own message id when it gives one, rejects when refused. */
  send(row: OutboxRow): Promise<string | undefined>;
  close(): void;
}

export interface DeliveryReport {
  sent(row: OutboxRow, ms: number, providerId: string | undefined): void;
  /** `retryInSeconds` is null once the attempts are used up. */
  failed(row: OutboxRow, error: string, retryInSeconds: number | null): void;
  /** The outbox itself could not be worked (database trouble); the next wake or sweep tries again. */
  broken(error: string): void;
}

export interface OutboxSender {
  /** Drains now (or again once the current drain ends). */
  wake(): void;
  /** Stops waking, lets the send under way finish, releases the rest of its batch, closes the transport. */
  stop(): Promise<void>;
}

export interface OutboxSenderOptions {
  readonly db: Database;
  readonly channel: OutboxChannel;
  readonly transport: OutboxTransport;
  readonly report: DeliveryReport;
  readonly sweepMs?: number;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, ERROR_LENGTH);

/** Starts listening and sweeping, and drains once for whatever was left unsent. */
export async function startOutboxSender(options: OutboxSenderOptions): Promise<OutboxSender> {
  const { db, channel, transport, report } = options;
  let stopped = false;

  async function deliver(row: OutboxRow): Promise<void> {
    const t0 = performance.now();
    let providerId: string | undefined;
    try {
      providerId = await transport.send(row);
    } catch (e) {
      const error = messageOf(e);
      if (e instanceof PermanentDeliveryError) {
        await markAbandoned(db, row.id, error);
        report.failed(row, error, null);
        return;
      }
      const retryInSeconds = row.attempts < MAX_ATTEMPTS ? retryDelaySeconds(row.attempts) : null;
      await markFailed(db, row.id, error, retryInSeconds ?? 0);
      report.failed(row, error, retryInSeconds);
      return;
    }
    // A crash right here sends the message again once the lease runs out: at least once, never lost.
    await markSent(db, row.id);
    report.sent(row, Math.round(performance.now() - t0), providerId);
  }

  async function drain(): Promise<void> {
    for (;;) {
      const batch = await claim(db, channel, BATCH);
      for (const [i, row] of batch.entries()) {
        if (stopped) return release(db, batch.slice(i).map((r) => r.id));
        await deliver(row);
      }
      if (batch.length < BATCH) return;
    }
  }

  const draining = rerunnable(() => drain().catch((e: unknown) => report.broken(messageOf(e))));
  const wake = draining.wake;

  const unlisten: Unlisten = await db.listen(NOTIFY_CHANNEL[channel], wake);
  const sweep = setInterval(wake, options.sweepMs ?? SWEEP_MS);
  sweep.unref();
  wake();
  return {
    wake,
    stop: async () => {
      stopped = true;
      clearInterval(sweep);
      await unlisten();
      await draining.stop();
      transport.close();
    },
  };
}
