// Bootstrap v5: delivery state on the outbox, for the SMTP sender (src/mail/sender.ts).
// A row is claimed by setting `leased_until` (one node at a time, `for update skip locked`),
// counted in `attempts`, and after a failure held back until `leased_until` with its
// `last_error`; `sent_at` marks it done. Idempotent: an interrupted start can run it again.
export const outboxDelivery = /* sql */ `
alter table _groundwork.outbox
  add column if not exists attempts integer not null default 0,
  add column if not exists leased_until timestamptz,
  add column if not exists last_error text;
`;
