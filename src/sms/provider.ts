// Sending SMS. Flows never talk to a provider: they queue the message in _groundwork.outbox
// (channel 'sms') in their own transaction, so a code is never stored without its message.
// A provider is whatever delivers queued messages after commit. The built-in development
// setup has none: messages stay in the outbox, where the log and GET /auth/v1/admin/outbox
// show them. A real one (Twilio, MessageBird…) implements SmsProvider and is driven by
// deliverSms.
import { sql } from '../lib/sql.ts';
import type { Database } from '../db/port.ts';

export interface SmsProvider {
  /** What /settings reports as `sms_provider`. */
  readonly name: string;
  /** Sends one message; `to` is E.164 digits without `+`. Rejects when the provider refuses. */
  send(to: string, body: string): Promise<{ messageId: string }>;
}

/** The provider name /settings reports when messages stay in the outbox. */
export const OUTBOX_ONLY = 'outbox';

export interface Delivery {
  readonly outboxId: number;
  readonly messageId?: string;
  readonly error?: string;
}

/**
 * Hands up to `limit` unsent SMS to `provider`, oldest first, marking each sent once the
 * provider accepted it; refused ones stay unsent for the next round. Rows are locked with
 * SKIP LOCKED, so several nodes can deliver at once without sending a message twice.
 */
export async function deliverSms(db: Database, provider: SmsProvider, limit = 50): Promise<Delivery[]> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: number; recipient: string; body: string }>(sql`
      select id::int, recipient, body from _groundwork.outbox where channel = 'sms' and sent_at is null order by id limit ${limit} for update skip locked`);
    const done: Delivery[] = [];
    for (const row of rows) {
      try {
        const { messageId } = await provider.send(row.recipient, row.body);
        await tx.query(sql`update _groundwork.outbox set sent_at = now() where id = ${row.id}`);
        done.push({ outboxId: row.id, messageId });
      } catch (e) {
        done.push({ outboxId: row.id, error: e instanceof Error ? e.message : String(e) });
      }
    }
    return done;
  });
}
