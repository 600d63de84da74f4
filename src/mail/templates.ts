// Auth's email templates: a subject and an HTML body per kind. The defaults are Supabase's
// subjects with short bodies carrying the link and the code; a project may replace any of
// them (src/mail/load-templates.ts, read once at start-up).
import type { MailKind } from './kinds.ts';

export interface MailTemplate {
  /** Rendered as text (a header), variables allowed. */
  readonly subject: string;
  /** Rendered as HTML, values escaped. */
  readonly html: string;
}

export type MailTemplates = Readonly<Record<MailKind, MailTemplate>>;

const withLink = (subject: string, action: string): MailTemplate => ({
  subject,
  html: `<h2>${subject}</h2>\n<p>${action}:</p>\n<p><a href="{{ .ConfirmationURL }}">{{ .ConfirmationURL }}</a></p>\n<p>Alternatively, enter the code: {{ .Token }}</p>\n`,
});

export const DEFAULT_TEMPLATES: MailTemplates = {
  confirmation: withLink('Confirm Your Signup', 'Follow this link to confirm your user'),
  recovery: withLink('Reset Your Password', 'Follow this link to reset the password for your user'),
  magic_link: withLink('Your Magic Link', 'Follow this link to login'),
  invite: withLink('You have been invited', 'You have been invited to create a user. Follow this link to accept the invite'),
  email_change: withLink('Confirm Email Change', 'Follow this link to confirm the update of your email from {{ .Email }} to {{ .NewEmail }}'),
  reauthentication: { subject: 'Confirm reauthentication', html: '<h2>Confirm reauthentication</h2>\n<p>Enter this code to confirm it is you: {{ .Token }}</p>\n' },
};
