// Auth's emails: the default templates (Supabase's subjects) and the transactional
// enqueue into _groundwork.outbox, in the caller's transaction, with an observation for the
// log so developers can follow links locally.
import { sql } from '../lib/sql.ts';
import type { Queryable } from '../db/port.ts';
import type { Observer } from '../observe/events.ts';

export type MailKind = 'confirmation' | 'recovery' | 'magic_link' | 'invite' | 'reauthentication' | 'email_change';

const TEMPLATES: Readonly<Record<MailKind, { subject: string; action: string }>> = {
  confirmation: { subject: 'Confirm Your Signup', action: 'Follow this link to confirm your user' },
  recovery: { subject: 'Reset Your Password', action: 'Follow this link to reset the password for your user' },
  magic_link: { subject: 'Your Magic Link', action: 'Follow this link to login' },
  invite: { subject: 'You have been invited', action: 'You have been invited to create a user. Follow this link to accept the invite' },
  reauthentication: { subject: 'Confirm reauthentication', action: 'Enter this code to confirm it is you' },
  email_change: { subject: 'Confirm Email Change', action: 'Follow this link to confirm the update of your email' },
};

export interface Mail {
  readonly kind: MailKind;
  readonly to: string;
  /** Null for code-only emails (reauthentication). */
  readonly link: string | null;
  readonly otp: string;
}

export function render(mail: Mail): { subject: string; body: string } {
  const t = TEMPLATES[mail.kind];
  if (mail.link === null) return { subject: t.subject, body: `<h2>${t.subject}</h2>\n<p>${t.action}: ${mail.otp}</p>\n` };
  return { subject: t.subject, body: `<h2>${t.subject}</h2>\n<p>${t.action}:</p>\n<p><a href="${mail.link}">${mail.link}</a></p>\n<p>Alternatively, enter the code: ${mail.otp}</p>\n` };
}

export async function enqueueMail(tx: Queryable, observe: Observer, mail: Mail): Promise<void> {
  const { subject, body } = render(mail);
  await tx.query(sql`insert into _groundwork.outbox (channel, recipient, subject, body, kind) values ('email', ${mail.to}, ${subject}, ${body}, ${mail.kind})`);
  observe({ type: 'mail', kind: mail.kind, to: mail.to, subject, link: mail.link });
}
