// Drains the SMS channel of the outbox through the configured provider, after commit: the
// shared outbox sender (src/outbox/sender.ts), woken by the NOTIFY each queued SMS raises
// and by its sweep, logging as sms-sent / sms-failed.
import type { SmsConfig } from '../config/load.ts';
import type { Database } from '../db/port.ts';
import type { Observer } from '../observe/events.ts';
import { startOutboxSender, type OutboxSender } from '../outbox/sender.ts';
import type { SmsProvider } from './provider.ts';
import { twilioProvider } from './twilio.ts';
import { webhookProvider } from './webhook.ts';

export type SmsSender = OutboxSender;

export interface SmsSenderOptions {
  readonly db: Database;
  readonly provider: SmsProvider;
  readonly observe: Observer;
  readonly sweepMs?: number;
}

/** The built-in provider the settings name. */
export function smsProvider(config: SmsConfig): SmsProvider {
  return config.provider === 'webhook' ? webhookProvider(config) : twilioProvider(config);
}

/** Starts listening and sweeping, and drains once for whatever was left unsent. */
export function startSmsSender(options: SmsSenderOptions): Promise<SmsSender> {
  const { db, provider, observe } = options;
  return startOutboxSender({
    db,
    channel: 'sms',
    sweepMs: options.sweepMs,
    transport: { send: (row) => provider.send({ id: row.id, to: row.recipient, body: row.body }), close: () => undefined },
    report: {
      sent: (sms, ms, providerId) =>
        observe({ type: 'sms-sent', id: sms.id, kind: sms.kind, to: sms.recipient, attempts: sms.attempts, ms, provider: provider.name, providerId: providerId ?? null }),
      failed: (sms, error, retryInSeconds) =>
        observe({ type: 'sms-failed', id: sms.id, kind: sms.kind, to: sms.recipient, attempts: sms.attempts, provider: provider.name, error, retryInSeconds }),
      broken: (error) => observe({ type: 'sms-sender-failed', error }),
    },
  });
}
