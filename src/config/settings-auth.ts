// Auth's settings (sign-up, passwords, tokens, rate limits, links), part of the one settings
// table in settings.ts.
import { z } from 'zod';
import { bool, lifetime, whole } from './schemas.ts';

export const authSettings = {
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
} as const;
