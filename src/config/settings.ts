// Every setting Groundwork reads: its environment name, its flag, its default and its
// validation. This table is the single source for the loader, `--help` and the README's
// configuration table (docs are checked against it in settings.test.ts).
import { z } from 'zod';
import { MAIL_KINDS, type MailKind } from '../mail/kinds.ts';
import { parseSmsTestOtp } from './sms-test-otp.ts';

const whole = (what = 'a whole number') =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be ${what}`)
    .transform(Number);
/** Code lifetimes: at most a day, as Supabase allows, so the outbox can drop older messages (src/outbox/claims.ts). */
const lifetime = whole().pipe(z.number().max(86400, 'must be at most 86400 (a day)'));
const port = whole().pipe(z.number().max(65535, 'must be between 0 and 65535 (0 picks a free port)'));
const bool = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], { message: 'must be true or false' }))
  .transform((s) => ['1', 'true', 'yes', 'on'].includes(s));
const nameList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x !== ''))
  .pipe(z.array(z.string()).min(1, 'must name at least one schema'));
const postgresUrl = z
  .string()
  .refine((s) => /^postgres(ql)?:\/\/.+/.test(s), 'must be a postgres:// or postgresql:// URL')
  .refine((s) => URL.canParse(s), 'is not a valid URL');

export const settings = {
  projectDir: {
    env: 'GROUNDWORK_PROJECT_DIR',
    flag: 'project-dir',
    default: '.',
    doc: 'Project folder holding `supabase/migrations` and `supabase/seed.sql`; `.env` is read from here.',
    schema: z.string().min(1, 'must not be empty'),
  },
  dataDir: {
    env: 'GROUNDWORK_DATA_DIR',
    flag: 'data-dir',
    default: '<project>/.groundwork',
    doc: 'Where the embedded database (`data/`), the generated JWT secret and the lock file live.',
    schema: z.string().min(1, 'must not be empty'),
  },
  databaseUrl: {
    env: 'DATABASE_URL',
    flag: 'database-url',
    default: '(unset: embedded)',
    doc: 'A PostgreSQL server to use instead of the embedded database.',
    schema: postgresUrl,
  },
  host: {
    env: 'HOST',
    flag: 'host',
    default: '127.0.0.1',
    doc: 'Interface to listen on (`0.0.0.0` for all).',
    schema: z.string().min(1, 'must not be empty'),
  },
  port: { env: 'PORT', flag: 'port', default: '54321', doc: 'Port serving every API.', schema: port },
  jwtSecret: {
    env: 'JWT_SECRET',
    flag: 'jwt-secret',
    default: '(embedded: generated once)',
    doc: 'HS256 secret for access tokens and API keys, at least 32 characters. Required with DATABASE_URL.',
    schema: z.string().min(32, 'must be at least 32 characters long'),
  },
  logLevel: {
    env: 'LOG_LEVEL',
    flag: 'log-level',
    default: 'info',
    doc: 'fatal, error, warn, info, debug, trace or silent.',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'must be one of fatal, error, warn, info, debug, trace, silent',
    }),
  },
  bodyLimit: {
    env: 'GROUNDWORK_BODY_LIMIT',
    flag: 'body-limit',
    default: '10485760',
    doc: 'Largest request body in bytes; larger ones get 413.',
    schema: whole('a whole number of bytes').pipe(z.number().min(1024, 'must be at least 1024 bytes')),
  },
  dbPoolSize: {
    env: 'GROUNDWORK_DB_POOL_SIZE',
    flag: 'db-pool-size',
    default: '10',
    doc: 'Connections to a PostgreSQL server (server mode only).',
    schema: whole().pipe(z.number().min(1, 'must be at least 1').max(1000, 'must be at most 1000')),
  },
  autoMigrate: {
    env: 'GROUNDWORK_AUTO_MIGRATE',
    flag: 'auto-migrate',
    default: 'true',
    doc: '`start` applies pending migrations (and `supabase/seed.sql` the first time it migrates a database) before serving.',
    schema: bool,
  },
  dbSchemas: {
    env: 'GROUNDWORK_DB_SCHEMAS',
    flag: 'db-schemas',
    default: 'public,graphql_public',
    doc: 'Schemas the REST API exposes, comma-separated; the first is the default (others via Accept-Profile / Content-Profile).',
    schema: nameList,
  },
  dbExtraSearchPath: {
    env: 'GROUNDWORK_DB_EXTRA_SEARCH_PATH',
    flag: 'db-extra-search-path',
    default: 'public,extensions',
    doc: 'Schemas added to the search path of every REST request, after the selected one.',
    schema: nameList,
  },
  dbMaxRows: {
    env: 'GROUNDWORK_DB_MAX_ROWS',
    flag: 'db-max-rows',
    default: '1000',
    doc: 'Most rows a REST read returns, per resource and embed (0: no limit).',
    schema: whole(),
  },
  dbAggregatesEnabled: {
    env: 'GROUNDWORK_DB_AGGREGATES_ENABLED',
    flag: 'db-aggregates-enabled',
    default: 'false',
    doc: 'Allow aggregate functions in `select` (`count()`, `col.sum()`…).',
    schema: bool,
  },
  dbPlanEnabled: {
    env: 'GROUNDWORK_DB_PLAN_ENABLED',
    flag: 'db-plan-enabled',
    default: 'false',
    doc: 'Answer `Accept: application/vnd.pgrst.plan` with the query plan (EXPLAIN).',
    schema: bool,
  },
  dbTxEnd: {
    env: 'GROUNDWORK_DB_TX_END',
    flag: 'db-tx-end',
    default: 'commit',
    doc: 'commit, commit-allow-override, rollback or rollback-allow-override (the last two honour `Prefer: tx=`).',
    schema: z.enum(['commit', 'commit-allow-override', 'rollback', 'rollback-allow-override'], {
      message: 'must be one of commit, commit-allow-override, rollback, rollback-allow-override',
    }),
  },
  dbPreRequest: {
    env: 'GROUNDWORK_DB_PRE_REQUEST',
    flag: 'db-pre-request',
    default: '(none)',
    doc: 'A function (`schema.name`) called at the start of every REST request; it may raise to refuse it.',
    schema: z.string().regex(/^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/, 'must be a function name, optionally schema-qualified'),
  },
  authSiteUrl: {
    env: 'GROUNDWORK_AUTH_SITE_URL',
    flag: 'auth-site-url',
    default: 'http://localhost:3000',
    doc: "The app's URL: the default redirect after sign-up and in emails.",
    schema: z.string().refine((u) => URL.canParse(u), 'must be a URL'),
  },
  authAutoconfirm: {
    env: 'GROUNDWORK_AUTH_AUTOCONFIRM',
    flag: 'auth-autoconfirm',
    default: '(embedded: true; server: false)',
    doc: 'Sign-ups are confirmed at once (no confirmation email) and get a session.',
    schema: bool,
  },
  authDisableSignup: {
    env: 'GROUNDWORK_AUTH_DISABLE_SIGNUP',
    flag: 'auth-disable-signup',
    default: 'false',
    doc: 'Refuse new sign-ups (existing users can still sign in).',
    schema: bool,
  },
  authAnonymousSignIns: {
    env: 'GROUNDWORK_AUTH_ANONYMOUS_SIGN_INS',
    flag: 'auth-anonymous-sign-ins',
    default: 'false',
    doc: 'Allow signInAnonymously().',
    schema: bool,
  },
  authPasswordMinLength: {
    env: 'GROUNDWORK_AUTH_PASSWORD_MIN_LENGTH',
    flag: 'auth-password-min-length',
    default: '6',
    doc: 'Shortest password accepted.',
    schema: whole(),
  },
  authPasswordRequiredCharacters: {
    env: 'GROUNDWORK_AUTH_PASSWORD_REQUIRED_CHARACTERS',
    flag: 'auth-password-required-characters',
    default: '(none)',
    doc: 'Character sets a password must each draw on, colon-separated (`\\:` for a colon), e.g. `abcdefghijklmnopqrstuvwxyz:ABCDEFGHIJKLMNOPQRSTUVWXYZ:0123456789`.',
    schema: z.string().transform((s) => s.split(/(?<!\\):/).map((set) => set.replaceAll('\\:', ':')).filter((set) => set !== '')),
  },
  authJwtExpiry: {
    env: 'GROUNDWORK_AUTH_JWT_EXPIRY',
    flag: 'auth-jwt-expiry',
    default: '3600',
    doc: 'Access token lifetime in seconds.',
    schema: whole().pipe(z.number().min(30, 'must be at least 30 seconds')),
  },
  authRefreshReuseInterval: {
    env: 'GROUNDWORK_AUTH_REFRESH_REUSE_INTERVAL',
    flag: 'auth-refresh-reuse-interval',
    default: '10',
    doc: 'Seconds during which a just-rotated refresh token may still be used (concurrent tabs).',
    schema: whole(),
  },
  authHookCustomAccessToken: {
    env: 'GROUNDWORK_AUTH_HOOK_CUSTOM_ACCESS_TOKEN',
    flag: 'auth-hook-custom-access-token',
    default: '(none)',
    doc: 'A SQL function (`schema.name`, or `pg-functions://postgres/schema/name`) that may change the claims of every access token.',
    schema: z
      .string()
      .transform((v) => v.replace(/^pg-functions:\/\/[^/]+\/([^/]+)\/([^/]+)$/, '$1.$2'))
      .pipe(z.string().regex(/^[A-Za-z_][A-Za-z0-9_$]*\.[A-Za-z_][A-Za-z0-9_$]*$/, 'must be schema.function or pg-functions://postgres/schema/function')),
  },
  authRateLimitSignIns: {
    env: 'GROUNDWORK_AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS',
    flag: 'auth-rate-limit-sign-in-sign-ups',
    default: '30',
    doc: 'Sign-ups, password sign-ins, recovery, email- or SMS-code requests, resends and verifications per 5 minutes, each counted per client IP and per email or phone; 0 turns it off.',
    schema: whole(),
  },
  authRateLimitToken: {
    env: 'GROUNDWORK_AUTH_RATE_LIMIT_TOKEN_REFRESH',
    flag: 'auth-rate-limit-token-refresh',
    default: '150',
    doc: 'Token requests (sign-in, refresh) per 5 minutes per client IP; 0 turns it off.',
    schema: whole(),
  },
  authRateLimitEmailSent: {
    env: 'GROUNDWORK_AUTH_RATE_LIMIT_EMAIL_SENT',
    flag: 'auth-rate-limit-email-sent',
    default: '30',
    doc: 'Emails per hour for the whole project once SMTP delivers them (as Supabase caps them); 0 turns it off. Emails kept in the outbox are not counted.',
    schema: whole(),
  },
  authRateLimitSmsSent: {
    env: 'GROUNDWORK_AUTH_RATE_LIMIT_SMS_SENT',
    flag: 'auth-rate-limit-sms-sent',
    default: '30',
    doc: 'SMS per hour for the whole project once a provider sends them, against SMS pumping; 0 turns it off. SMS kept in the outbox and test numbers are not counted.',
    schema: whole(),
  },
  authRateLimitMfa: {
    env: 'GROUNDWORK_AUTH_RATE_LIMIT_MFA',
    flag: 'auth-rate-limit-mfa',
    default: '75',
    doc: 'MFA challenges and verifications per 5 minutes, each counted per client IP and per factor; 0 turns it off.',
    schema: whole(),
  },
  authRateLimitHeader: {
    env: 'GROUNDWORK_AUTH_RATE_LIMIT_HEADER',
    flag: 'auth-rate-limit-header',
    default: '(none: the socket address)',
    doc: "Header carrying the client's IP behind a proxy (e.g. X-Forwarded-For; its first value is used).",
    schema: z.string().regex(/^[A-Za-z0-9-]+$/, 'must be a header name'),
  },
  authRedirectUrls: {
    env: 'GROUNDWORK_AUTH_REDIRECT_URLS',
    flag: 'auth-redirect-urls',
    default: '(none)',
    doc: 'Other URLs emails may send users back to, comma-separated; `*` matches within a path segment, `**` across.',
    schema: z.string().transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x !== '')),
  },
  authOtpExpiry: {
    env: 'GROUNDWORK_AUTH_OTP_EXPIRY',
    flag: 'auth-otp-expiry',
    default: '3600',
    doc: 'Seconds an emailed link or code stays valid (at most 86400).',
    schema: lifetime,
  },
  authSigningKeysPath: {
    env: 'GROUNDWORK_AUTH_SIGNING_KEYS_PATH',
    flag: 'auth-signing-keys-path',
    default: '(none: HS256 with JWT_SECRET)',
    doc: 'A JWK set file (RS256/ES256, relative to the project). Its first private key signs access tokens; all verify them and are published at `/auth/v1/.well-known/jwks.json`. HS256 tokens stay valid.',
    schema: z.string().min(1),
  },
  authSecureEmailChange: {
    env: 'GROUNDWORK_AUTH_SECURE_EMAIL_CHANGE',
    flag: 'auth-secure-email-change',
    default: 'true',
    doc: 'An email change must be confirmed from both the current and the new address (off: the new address alone).',
    schema: bool,
  },
  authSecurePasswordChange: {
    env: 'GROUNDWORK_AUTH_SECURE_PASSWORD_CHANGE',
    flag: 'auth-secure-password-change',
    default: 'false',
    doc: 'A password change from a session older than 24 h needs the nonce sent by `GET /reauthenticate`.',
    schema: bool,
  },
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
  shutdownTimeoutMs: {
    env: 'GROUNDWORK_SHUTDOWN_TIMEOUT_MS',
    flag: 'shutdown-timeout-ms',
    default: '10000',
    doc: 'How long a graceful shutdown waits for in-flight requests.',
    schema: whole(),
  },
} as const;

export type SettingName = keyof typeof settings;
