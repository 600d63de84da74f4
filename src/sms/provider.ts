// Sending SMS. Flows never talk to a provider: they queue the message in _groundwork.outbox
// (channel 'sms') in their own transaction, so a code is never stored without its message.
// A provider delivers queued messages after commit, driven by the SMS sender (sender.ts);
// the built-in ones are an HTTP webhook (webhook.ts) and Twilio (twilio.ts). Without one,
// messages stay in the outbox, where the log and GET /auth/v1/admin/outbox show them.

export interface OutgoingSms {
  /** The outbox row's id (the message id clients got back). */
  readonly id: number;
  /** E.164 digits without `+`. */
  readonly to: string;
  readonly body: string;
}

export interface SmsProvider {
  /** What /settings reports as `sms_provider`. */
  readonly name: string;
  /** Sends one message; resolves with the provider's own id when it gives one, rejects when the provider refuses. */
  send(sms: OutgoingSms): Promise<string | undefined>;
}

/** The provider name /settings reports when messages stay in the outbox. */
export const OUTBOX_ONLY = 'outbox';
