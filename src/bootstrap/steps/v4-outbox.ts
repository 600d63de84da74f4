// Bootstrap v4: the outbox. Auth writes each email or SMS here in the same transaction as
// the token it carries, so a message is never lost between commit and delivery; without
// SMTP configured, the outbox is where developers read them (admin endpoint, log).
export const outbox = /* sql */ `
create table if not exists _groundwork.outbox (
  id bigserial primary key,
  channel text not null check (channel in ('email', 'sms')),
  recipient text not null,
  subject text not null,
  body text not null,
  kind text not null,
  created_at timestamptz not null default now(),
  sent_at timestamptz
);
create index if not exists outbox_unsent_idx on _groundwork.outbox (id) where sent_at is null;
`;
