// The Auth API's error catalogue: Supabase Auth's codes, statuses and messages (auth-js
// compares them), and its two response shapes: with `X-Supabase-Api-Version: 2024-01-01`
// (what supabase-js sends) `{code, message}`; without, the legacy `{code: status, error_code, msg}`.

export class AuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

const e = (status: number, code: string, message: string, extra?: Record<string, unknown>) => new AuthError(status, code, message, extra);

export const authErrors = {
  validation: (message: string): AuthError => e(400, 'validation_failed', message),
  badJson: (detail: string): AuthError => e(400, 'bad_json', `Could not parse request body as JSON: ${detail}`),
  requestTooLarge: (limit: number): AuthError => e(413, 'request_entity_too_large', `Request body is larger than the limit of ${limit} bytes`),
  jsonTooDeep: (max: number): AuthError => e(400, 'validation_failed', `JSON nested deeper than ${max} levels`),
  /** PostgreSQL's text and jsonb cannot hold U+0000, so no field may. */
  loneSurrogate: (): AuthError => e(400, 'validation_failed', 'The request body cannot contain lone UTF-16 surrogates (invalid Unicode)'),
  nulCharacter: (where: 'body' | 'URL'): AuthError => e(400, 'validation_failed', `The request ${where} cannot contain NUL characters`),
  metadataTooLarge: (bytes: number, max: number): AuthError =>
    e(400, 'validation_failed', `user_metadata and app_metadata together may take at most ${max} bytes as JSON, as every access token carries them (${bytes} bytes)`),
  weakPassword: (message: string, reasons: readonly string[]): AuthError => e(422, 'weak_password', message, { weak_password: { reasons } }),
  signupDisabled: (): AuthError => e(422, 'signup_disabled', 'Signups not allowed for this instance'),
  anonymousDisabled: (): AuthError => e(422, 'anonymous_provider_disabled', 'Anonymous sign-ins are disabled'),
  userAlreadyExists: (): AuthError => e(422, 'user_already_exists', 'User already registered'),
  emailRateLimit: (waitSeconds: number): AuthError => e(429, 'over_email_send_rate_limit', `For security purposes, you can only request this after ${waitSeconds} seconds.`),
  emailExists: (): AuthError => e(422, 'email_exists', 'A user with this email address has already been registered'),
  invalidCredentials: (): AuthError => e(400, 'invalid_credentials', 'Invalid login credentials'),
  unsupportedGrant: (): AuthError => e(400, 'invalid_credentials', 'unsupported_grant_type'),
  emailNotConfirmed: (): AuthError => e(400, 'email_not_confirmed', 'Email not confirmed'),
  userBanned: (): AuthError => e(400, 'user_banned', 'User is banned'),
  refreshTokenInvalid: (): AuthError => e(400, 'validation_failed', 'Refresh token is not valid'),
  refreshTokenNotFound: (): AuthError => e(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found'),
  refreshTokenReused: (): AuthError => e(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used'),
  refreshUserBanned: (): AuthError => e(400, 'user_banned', 'Invalid Refresh Token: User Banned'),
  refreshNoSession: (): AuthError => e(400, 'session_not_found', 'Invalid Refresh Token: No Valid Session Found'),
  noAuthorization: (): AuthError => e(401, 'no_authorization', 'This endpoint requires a valid Bearer token'),
  badJwt: (message: string): AuthError => e(403, 'bad_jwt', message),
  sessionNotFound: (): AuthError => e(403, 'session_not_found', 'Session from session_id claim in JWT does not exist'),
  userNotFound: (): AuthError => e(403, 'user_not_found', 'User from sub claim in JWT does not exist'),
  samePassword: (): AuthError => e(422, 'same_password', 'New password should be different from the old password.'),
  logoutScope: (scope: string): AuthError => e(400, 'validation_failed', `Unsupported logout scope "${scope}"`),
  notFound: (): AuthError => e(404, 'not_found', 'Not found'),
  hookFailed: (status: number, message: string): AuthError => e(status, status === 403 ? 'access_denied' : 'unexpected_failure', message),
  hookOutput: (): AuthError => e(500, 'unexpected_failure', 'output claims do not conform to the expected schema'),
  overRequestRateLimit: (): AuthError => e(429, 'over_request_rate_limit', 'Request rate limit reached'),
  notAdmin: (): AuthError => e(403, 'not_admin', 'User not allowed'),
  adminUserNotFound: (): AuthError => e(404, 'user_not_found', 'User not found'),
  badUserId: (): AuthError => e(404, 'validation_failed', 'user_id must be an UUID'),
  badPagination: (detail: string): AuthError => e(400, 'validation_failed', `Bad Pagination Parameters: ${detail}`),
  anonymousMfa: (): AuthError => e(403, 'no_authorization', 'Anonymous user not allowed to perform these actions'),
  badFactorType: (): AuthError => e(400, 'validation_failed', 'factor_type needs to be totp, phone or webauthn'),
  badFactorId: (): AuthError => e(404, 'validation_failed', 'factor_id must be an UUID'),
  factorNotFound: (): AuthError => e(404, 'mfa_factor_not_found', 'Factor not found'),
  challengeNotFound: (): AuthError => e(422, 'mfa_factor_not_found', 'MFA factor with the provided challenge ID not found'),
  factorNameConflict: (name: string): AuthError => e(422, 'mfa_factor_name_conflict', `A factor with the friendly name "${name}" for this user already exists`),
  tooManyFactors: (): AuthError => e(422, 'too_many_enrolled_mfa_factors', 'Maximum number of verified factors reached, unenroll to continue'),
  enrollNeedsAal2: (): AuthError => e(403, 'insufficient_aal', 'AAL2 required to enroll a new factor'),
  unenrollNeedsAal2: (): AuthError => e(422, 'insufficient_aal', 'AAL2 required to unenroll verified factor'),
  updateNeedsAal2: (): AuthError => e(401, 'insufficient_aal', 'AAL2 session is required to update email or password when MFA is enabled.'),
  emptyCode: (): AuthError => e(400, 'validation_failed', 'Code needs to be non-empty'),
  challengeIpMismatch: (): AuthError => e(422, 'mfa_ip_address_mismatch', 'Challenge and verify IP addresses mismatch. Try enrollment again.'),
  challengeExpired: (id: string): AuthError => e(422, 'mfa_challenge_expired', `Challenge ${id} has expired, verify against another challenge or create a new challenge.`),
  totpInvalid: (): AuthError => e(422, 'mfa_verification_failed', 'Invalid TOTP code entered'),
  unexpected: (): AuthError => e(500, 'unexpected_failure', 'Unexpected failure, please check server logs for more information'),
  invalidPhone: (): AuthError => e(400, 'validation_failed', 'Invalid phone number format (E.164 required)'),
  invalidChannel: (): AuthError => e(400, 'validation_failed', "Invalid channel, supported values are 'sms' or 'whatsapp'"),
  /** Supabase Auth words it per endpoint: sign-up and /otp answer 400, the password grant 422. */
  phoneSignupsDisabled: (): AuthError => e(400, 'phone_provider_disabled', 'Phone signups are disabled'),
  phoneLoginsDisabled: (): AuthError => e(422, 'phone_provider_disabled', 'Phone logins are disabled'),
  phoneProviderUnsupported: (): AuthError => e(400, 'phone_provider_disabled', 'Unsupported phone provider'),
  phoneNotConfirmed: (): AuthError => e(400, 'phone_not_confirmed', 'Phone not confirmed'),
  /** PUT /user's wording; the admin API says it differently (adminPhoneExists). */
  phoneExists: (): AuthError => e(422, 'phone_exists', 'A user with this phone number has already been registered'),
  adminPhoneExists: (): AuthError => e(422, 'phone_exists', 'Phone number already registered by another user'),
  smsSentLimit: (): AuthError => e(429, 'over_sms_send_rate_limit', 'SMS rate limit exceeded'),
  emailSentLimit: (): AuthError => e(429, 'over_email_send_rate_limit', 'Email rate limit exceeded'),
  smsRateLimit: (waitSeconds: number): AuthError => e(429, 'over_sms_send_rate_limit', `For security purposes, you can only request this after ${waitSeconds} seconds.`),
  otpDisabled: (): AuthError => e(422, 'otp_disabled', 'Signups not allowed for otp'),
  /** A wrong, spent or expired code; a link (token hash) gets its own wording. */
  userWithEmailNotFound: (): AuthError => e(404, 'user_not_found', 'User with this email not found'),
  flowStateNotFound: (): AuthError => e(404, 'flow_state_not_found', 'Flow state not found'),
  flowStateInvalid: (): AuthError => e(404, 'flow_state_not_found', 'invalid flow state, no valid flow state found'),
  flowStateExpired: (): AuthError => e(422, 'flow_state_expired', 'invalid flow state, flow state has expired'),
  badCodeVerifier: (): AuthError => e(400, 'bad_code_verifier', 'code challenge does not match previously saved code verifier'),
  emailNotConfirmedForReauth: (): AuthError => e(422, 'email_not_confirmed', 'Please verify your email first.'),
  reauthenticationNeeded: (): AuthError => e(400, 'reauthentication_needed', 'Password update requires reauthentication'),
  reauthenticationNotValid: (): AuthError => e(422, 'reauthentication_not_valid', 'Nonce has expired or is invalid'),
  verifyBadEmail: (): AuthError => e(422, 'validation_failed', 'Invalid email format'),
  /** Supabase Auth's answer when SMS cannot be sent at all (a server setting, hence 500). */
  noSmsProvider: (): AuthError => e(500, 'unexpected_failure', 'Unable to get SMS provider'),
  otpExpired: (viaLink = false): AuthError => e(403, 'otp_expired', viaLink ? 'Email link is invalid or has expired' : 'Token has expired or is invalid'),
  verifyBanned: (): AuthError => e(403, 'user_banned', 'User is banned'),
};

// Features Groundwork's Auth does not offer (yet) answer with the errors Supabase Auth gives
// when they are turned off, so clients show a clear message instead of a 404 page.
const ISSUERS: Readonly<Record<string, string>> = { google: 'https://accounts.google.com', apple: 'https://appleid.apple.com' };

export const disabled = {
  oauthProvider: (): AuthError => e(400, 'validation_failed', 'Unsupported provider: Provider is not enabled'),
  saml: (): AuthError => e(404, 'saml_provider_disabled', 'SAML 2.0 is disabled'),
  passkeys: (): AuthError => e(404, 'passkey_disabled', 'Passkeys are disabled'),
  oauthServer: (): AuthError => e(404, 'feature_disabled', 'OAuth server is disabled'),
  customProviders: (): AuthError => e(404, 'feature_disabled', 'Custom providers are disabled'),
  manualLinking: (): AuthError => e(404, 'manual_linking_disabled', 'Manual linking is disabled'),
  mfaPhoneEnroll: (): AuthError => e(422, 'mfa_phone_enroll_not_enabled', 'MFA enroll is disabled for Phone'),
  mfaWebauthnEnroll: (): AuthError => e(422, 'mfa_webauthn_enroll_not_enabled', 'MFA enroll is disabled for WebAuthn'),
  web3: (): AuthError => e(422, 'web3_provider_disabled', 'Web3 provider is disabled'),
  /** The id_token grant: the provider's issuer is named, as Supabase Auth does. */
  idToken: (provider: unknown): AuthError => {
    const issuer = typeof provider === 'string' ? ISSUERS[provider] : undefined;
    if (issuer === undefined) return e(400, 'validation_failed', 'Custom OAuth providers are disabled');
    return e(400, 'provider_disabled', `Provider (issuer "${issuer}") is not enabled`);
  },
};

const VERSION = /^2\d{3}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** The API version a request asked for, clamped to the one we speak; undefined: legacy. */
export function apiVersion(header: string | undefined): '2024-01-01' | undefined {
  return header !== undefined && VERSION.test(header) && header >= '2024-01-01' ? '2024-01-01' : undefined;
}

export function renderAuthError(err: AuthError, version: '2024-01-01' | undefined): { status: number; headers: Record<string, string>; body: Record<string, unknown> } {
  if (version !== undefined) {
    const headers: Record<string, string> = { 'x-supabase-api-version': version };
    if (err.code !== 'weak_password') headers['x-sb-error-code'] = err.code;
    return { status: err.status, headers, body: { code: err.code, message: err.message, ...err.extra } };
  }
  return { status: err.status, headers: { 'x-sb-error-code': err.code }, body: { code: err.status, error_code: err.code, msg: err.message, ...err.extra } };
}
