// Auth's emails: rendered from the project's templates (src/mail/) and queued into
// _groundwork.outbox in the caller's transaction, with an observation for the log so
// developers can follow links locally. The same statement notifies the mail sender, which
// PostgreSQL delivers only once the transaction commits: no email leaves before its code
// is stored, and every node's sender wakes at once.
import type { Queryable } from '../../db/port.ts';
import type { Observer } from '../../observe/events.ts';
import type { MailKind } from '../../mail/kinds.ts';
import { enqueue } from '../../outbox/claims.ts';
import { renderTemplate, type TemplateValues } from '../../mail/template.ts';
import { DEFAULT_TEMPLATES, type MailTemplates } from '../../mail/templates.ts';
import type { AuthDeps } from '../types.ts';
import { authErrors } from '../errors.ts';
import { hit } from '../store/rate-limits.ts';

export type { MailKind } from '../../mail/kinds.ts';

export interface Mail {
  readonly kind: MailKind;
  readonly to: string;
  /** Null for code-only emails (reauthentication). */
  readonly link: string | null;
  readonly otp: string;
  /** The token hash the link carries (`{{ .TokenHash }}`, for custom confirmation links). */
  readonly tokenHash?: string;
  /** Where the link leads after verifying. */
  readonly redirectTo?: string;
  /** The user's metadata (`{{ .Data }}`). */
  readonly data?: Readonly<Record<string, unknown>>;
  /** The address being changed to (email_change). */
  readonly newEmail?: string;
  /** The user's current address (`{{ .Email }}`) when the mail goes to another one (email_change); else `to`. */
  readonly email?: string;
}

/** The templates and the site URL emails are rendered with. */
export interface MailSettings {
  readonly templates: MailTemplates;
  readonly siteUrl: string;
  /** Sent over SMTP: the log then leaves links out, as anyone reading it could follow them. */
  readonly delivered: boolean;
  /** Emails per hour for the project while delivered (0: no cap). */
  readonly sentPerHour: number;
}

export const DEFAULT_MAIL_SETTINGS: MailSettings = { templates: DEFAULT_TEMPLATES, siteUrl: '', delivered: false, sentPerHour: 0 };

/** The mail settings of an Auth instance: its configured templates (or the defaults) and site URL. */
export function mailSettings(deps: Pick<AuthDeps, 'config' | 'mailTemplates' | 'mailDelivered'>): MailSettings {
  return { templates: deps.mailTemplates ?? DEFAULT_TEMPLATES, siteUrl: deps.config.siteUrl, delivered: deps.mailDelivered === true, sentPerHour: deps.config.rateLimits.emailSent };
}

export function render(mail: Mail, settings: MailSettings = DEFAULT_MAIL_SETTINGS): { subject: string; body: string } {
  const t = settings.templates[mail.kind];
  const values: TemplateValues = {
    ConfirmationURL: mail.link ?? '',
    Token: mail.otp,
    TokenHash: mail.tokenHash ?? '',
    SiteURL: settings.siteUrl,
    Email: mail.email ?? mail.to,
    NewEmail: mail.newEmail ?? '',
    RedirectTo: mail.redirectTo ?? '',
    Data: mail.data ?? {},
  };
  return { subject: renderTemplate(t.subject, values, 'text'), body: renderTemplate(t.html, values, 'html') };
}

/** Queues `mail` in `tx`, rendered with `settings` (an Auth instance's: `mailSettings(deps)`). */
export async function enqueueMail(tx: Queryable, observe: Observer, mail: Mail, settings: MailSettings): Promise<void> {
  if (settings.delivered) await hit(tx, 'email-sent', settings.sentPerHour, 3600, authErrors.emailSentLimit);
  const { subject, body } = render(mail, settings);
  await enqueue(tx, 'email', { recipient: mail.to, subject, body, kind: mail.kind });
  observe({ type: 'mail', kind: mail.kind, to: mail.to, subject, ...(settings.delivered ? {} : { link: mail.link }) });
}
