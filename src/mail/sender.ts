// Drains the email channel of the outbox over SMTP, after commit: the shared outbox sender
// (src/outbox/sender.ts) with the SMTP transport, logging as mail-sent / mail-failed.
import type { Database } from '../db/port.ts';
import type { Observer } from '../observe/events.ts';
import { startOutboxSender, type OutboxSender } from '../outbox/sender.ts';
import type { MailTransport } from './smtp.ts';


export type MailSender = OutboxSender;

export interface MailSenderOptions {
  readonly db: Database;
  readonly transport: MailTransport;
  readonly observe: Observer;
  readonly sweepMs?: number;
}

/** Starts listening and sweeping, and drains once for whatever was left unsent. */
export function startMailSender(options: MailSenderOptions): Promise<MailSender> {
  const { db, transport, observe } = options;
  return startOutboxSender({
    db,
    channel: 'email',
    sweepMs: options.sweepMs,
    transport: {
      send: async (mail) => {
        await transport.send({ to: mail.recipient, subject: mail.subject, html: mail.body });
        return undefined;
      },
      close: () => transport.close(),
    },
    report: {
      sent: (mail, ms) => observe({ type: 'mail-sent', id: mail.id, kind: mail.kind, to: mail.recipient, attempts: mail.attempts, ms }),
      failed: (mail, error, retryInSeconds) => observe({ type: 'mail-failed', id: mail.id, kind: mail.kind, to: mail.recipient, attempts: mail.attempts, error, retryInSeconds }),
      broken: (error) => observe({ type: 'mail-sender-failed', error }),
    },
  });
}
