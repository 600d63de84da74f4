// Drains the outbox over SMTP, after commit: woken by the NOTIFY each queued email raises
// (delivered by PostgreSQL only once the flow's transaction commits, to every node) and by
// a sweep every few seconds, which picks up what a crash, a lost notification or a retry
// delay left behind. Rows are claimed with a lease (outbox.ts), so nodes sharing a database
// do not send the same email; a failed send stays queued with its error and a backoff.
import type { Database, Unlisten } from '../db/port.ts';
import type { Observer } from '../observe/events.ts';
import { claimMail, markFailed, markSent, MAX_ATTEMPTS, OUTBOX_CHANNEL, releaseMail, retryDelaySeconds, type OutboxMail } from './outbox.ts';
import type { MailTransport } from './smtp.ts';

export const SWEEP_MS = 5_000;
const BATCH = 10;
const ERROR_LENGTH = 1_000;

export interface MailSender {
  /** Drains now (or again once the current drain ends). */
  wake(): void;
  /** Stops waking, lets the send under way finish, releases the rest of its batch, closes the transport. */
  stop(): Promise<void>;
}

export interface MailSenderOptions {
  readonly db: Database;
  readonly transport: MailTransport;
  readonly observe: Observer;
  readonly sweepMs?: number;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, ERROR_LENGTH);

/** Starts listening and sweeping, and drains once for whatever was left unsent. */
export async function startMailSender(options: MailSenderOptions): Promise<MailSender> {
  const { db, transport, observe } = options;
  let stopped = false;
  let again = false;
  let running: Promise<void> | undefined;

  async function deliver(mail: OutboxMail): Promise<void> {
    const t0 = performance.now();
    try {
      await transport.send({ to: mail.recipient, subject: mail.subject, html: mail.body });
    } catch (e) {
      const error = messageOf(e);
      const retryInSeconds = mail.attempts < MAX_ATTEMPTS ? retryDelaySeconds(mail.attempts) : null;
      await markFailed(db, mail.id, error, retryInSeconds ?? 0);
      observe({ type: 'mail-failed', id: mail.id, kind: mail.kind, to: mail.recipient, attempts: mail.attempts, error, retryInSeconds });
      return;
    }
    // A crash right here sends the email again once the lease runs out: at least once, never lost.
    await markSent(db, mail.id);
    observe({ type: 'mail-sent', id: mail.id, kind: mail.kind, to: mail.recipient, attempts: mail.attempts, ms: Math.round(performance.now() - t0) });
  }

  async function drain(): Promise<void> {
    for (;;) {
      const batch = await claimMail(db, BATCH);
      for (const [i, mail] of batch.entries()) {
        if (stopped) return releaseMail(db, batch.slice(i).map((m) => m.id));
        await deliver(mail);
      }
      if (batch.length < BATCH) return;
    }
  }

  function wake(): void {
    if (stopped) return;
    if (running !== undefined) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await drain().catch((e: unknown) => observe({ type: 'mail-sender-failed', error: messageOf(e) }));
      } while (again && !stopped);
    })().finally(() => (running = undefined));
  }

  const unlisten: Unlisten = await db.listen(OUTBOX_CHANNEL, wake);
  const sweep = setInterval(wake, options.sweepMs ?? SWEEP_MS);
  sweep.unref();
  wake();
  return {
    wake,
    stop: async () => {
      stopped = true;
      clearInterval(sweep);
      await unlisten();
      await running;
      transport.close();
    },
  };
}
