// How Auth's messages go out: email templates and SMTP, phone sign-in, SMS text and providers.
// Part of the one settings table in settings.ts.
import { z } from 'zod';
import { MAIL_KINDS, type MailKind } from '../mail/kinds.ts';
import { parseSmsTestOtp } from './sms-test-otp.ts';
import { bool, lifetime, port } from './schemas.ts';

export const deliverySettings = {
  authMailTemplatesDir: {
    env: 'GROUNDWORK_AUTH_MAIL_TEMPLATES_DIR',
    flag: 'auth-mail-templates-dir',
    default: '(none: built-in templates)',
    doc: 'A folder (relative to the project) of email bodies named `<kind>.html` (`confirmation`, `recovery`, `magic_link`, `invite`, `reauthentication`, `email_change`), each optional, with `{{ .ConfirmationURL }}`, `{{ .Token }}`, `{{ .TokenHash }}`, `{{ .SiteURL }}`, `{{ .Email }}`, `{{ .NewEmail }}`, `{{ .RedirectTo }}`, `{{ .Data.<key> }}`. Read once at start-up.',
    schema: z.string().min(1, 'must not be empty'),
  },
  authMailSubjects: {
    env: 'GROUNDWORK_AUTH_MAIL_SUBJECTS',
    flag: 'auth-mail-subjects',
    default: "(none: Supabase's subjects)",
    doc: 'Email subjects by kind, as a JSON object, e.g. `{"confirmation":"Welcome to Acme","recovery":"Reset your Acme password"}`; the same variables as templates.',
    schema: z
      .string()
      .transform((s, ctx) => {
        try {
          return JSON.parse(s) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
          return z.NEVER;
        }
      })
      .pipe(z.record(z.string(), z.string({ message: 'must have text values' }).min(1, 'must not have empty subjects'), { message: 'must be a JSON object' }))
      .refine((o) => Object.keys(o).every((k) => (MAIL_KINDS as readonly string[]).includes(k)), `must only have the keys ${MAIL_KINDS.join(', ')}`)
      .transform((o) => o as Partial<Record<MailKind, string>>),
  },
  smtpHost: {
    env: 'GROUNDWORK_SMTP_HOST',
    flag: 'smtp-host',
    default: '(none: emails stay in the outbox)',
    doc: 'SMTP server that delivers Auth emails from the outbox. Needs GROUNDWORK_SMTP_ADMIN_EMAIL.',
    schema: z.string().trim().min(1, 'must not be empty'),
  },
  smtpPort: { env: 'GROUNDWORK_SMTP_PORT', flag: 'smtp-port', default: '587', doc: 'SMTP server port.', schema: port },
  smtpSecure: {
    env: 'GROUNDWORK_SMTP_SECURE',
    flag: 'smtp-secure',
    default: '(true on port 465, else false)',
    doc: 'Connect with TLS from the start (SMTPS). When false, the connection is upgraded with STARTTLS whenever the server offers it.',
    schema: bool,
  },
  smtpUser: { env: 'GROUNDWORK_SMTP_USER', flag: 'smtp-user', default: '(none: no authentication)', doc: 'SMTP user name.', schema: z.string().min(1) },
  smtpPass: { env: 'GROUNDWORK_SMTP_PASS', flag: 'smtp-pass', default: '(none)', doc: 'SMTP password.', schema: z.string().min(1) },
  smtpAdminEmail: {
    env: 'GROUNDWORK_SMTP_ADMIN_EMAIL',
    flag: 'smtp-admin-email',
    default: '(none)',
    doc: 'The From address of Auth emails.',
    schema: z.string().trim().regex(/^[^\s@<>]+@[^\s@<>]+$/, 'must be an email address'),
  },
  smtpSenderName: { env: 'GROUNDWORK_SMTP_SENDER_NAME', flag: 'smtp-sender-name', default: '(none)', doc: 'The From name of Auth emails.', schema: z.string().trim().min(1) },
  authPhoneEnabled: {
    env: 'GROUNDWORK_AUTH_PHONE_ENABLED',
    flag: 'auth-phone-enabled',
    default: 'false',
    doc: 'Allow sign-up and sign-in with a phone number (password or SMS code).',
    schema: bool,
  },
  authPhoneAutoconfirm: {
    env: 'GROUNDWORK_AUTH_PHONE_AUTOCONFIRM',
    flag: 'auth-phone-autoconfirm',
    default: 'false',
    doc: 'Phone sign-ups are confirmed at once (no SMS code) and get a session; phone changes apply at once.',
    schema: bool,
  },
  authSmsOtpExpiry: {
    env: 'GROUNDWORK_AUTH_SMS_OTP_EXPIRY',
    flag: 'auth-sms-otp-expiry',
    default: '60',
    doc: 'Seconds an SMS code stays valid (at most 86400).',
    schema: lifetime,
  },
  authSmsTemplate: {
    env: 'GROUNDWORK_AUTH_SMS_TEMPLATE',
    flag: 'auth-sms-template',
    default: 'Your code is {{ .Code }}',
    doc: 'The text of SMS codes; `{{ .Code }}` is the code (required, the only variable).',
    schema: z.string().refine((t) => /\{\{-?\s*\.Code\s*-?\}\}/.test(t), 'must contain {{ .Code }}').refine((t) => !/\{\{(?!-?\s*\.Code\s*-?\}\})/.test(t), 'must have no variable but {{ .Code }}'),
  },
  authSmsOutbox: {
    env: 'GROUNDWORK_AUTH_SMS_OUTBOX',
    flag: 'auth-sms-outbox',
    default: 'true',
    doc: 'Without an SMS provider, keep SMS in the outbox (development). `false`: only test numbers get codes; others are refused, as Supabase Auth refuses without a provider.',
    schema: bool,
  },
  authSmsTestOtp: {
    env: 'GROUNDWORK_AUTH_SMS_TEST_OTP',
    flag: 'auth-sms-test-otp',
    default: '(none)',
    doc: 'Test phone numbers with a fixed code, e.g. `1234567890=123456,4155550100=000000`: no SMS is queued for them and their code is always accepted.',
    schema: z.string().transform((s, ctx) => {
      try {
        return parseSmsTestOtp(s);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
        return z.NEVER;
      }
    }),
  },
  smsWebhookUrl: {
    env: 'GROUNDWORK_SMS_WEBHOOK_URL',
    flag: 'sms-webhook-url',
    default: '(none: SMS stay in the outbox)',
    doc: 'URL that delivers Auth SMS from the outbox: each is POSTed as JSON `{"to": "+<E.164>", "body": "<text>", "id": <outbox id>}`; any 2xx answer means sent.',
    schema: z
      .string()
      .trim()
      .refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), 'must be an http:// or https:// URL'),
  },
  smsWebhookSecret: {
    env: 'GROUNDWORK_SMS_WEBHOOK_SECRET',
    flag: 'sms-webhook-secret',
    default: '(none: unsigned)',
    doc: 'Signs each webhook request: header `x-groundwork-signature: sha256=<hex HMAC-SHA256 of the body>`.',
    schema: z.string().min(1),
  },
  smsTwilioAccountSid: {
    env: 'GROUNDWORK_SMS_TWILIO_ACCOUNT_SID',
    flag: 'sms-twilio-account-sid',
    default: '(none)',
    doc: 'Deliver Auth SMS through Twilio with this account. Needs the auth token and a Messaging Service SID or a From number; not together with the webhook.',
    schema: z.string().trim().min(1, 'must not be empty'),
  },
  smsTwilioAuthToken: { env: 'GROUNDWORK_SMS_TWILIO_AUTH_TOKEN', flag: 'sms-twilio-auth-token', default: '(none)', doc: 'Twilio auth token.', schema: z.string().min(1) },
  smsTwilioMessageServiceSid: {
    env: 'GROUNDWORK_SMS_TWILIO_MESSAGE_SERVICE_SID',
    flag: 'sms-twilio-message-service-sid',
    default: '(none)',
    doc: 'Twilio Messaging Service that sends the SMS (preferred over a From number).',
    schema: z.string().trim().min(1, 'must not be empty'),
  },
  smsTwilioFrom: {
    env: 'GROUNDWORK_SMS_TWILIO_FROM',
    flag: 'sms-twilio-from',
    default: '(none)',
    doc: 'Twilio phone number (E.164, with `+`) the SMS are sent from, without a Messaging Service.',
    schema: z.string().trim().regex(/^\+\d{6,15}$/, 'must be an E.164 number with +'),
  },
} as const;
