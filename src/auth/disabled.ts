// Features Groundwork's Auth does not offer (yet) answer with the errors Supabase Auth gives
// when they are turned off, so clients show a clear message instead of a 404 page.
import type { FastifyInstance } from 'fastify';
import { AuthError } from './errors.ts';

const ISSUERS: Readonly<Record<string, string>> = { google: 'https://accounts.google.com', apple: 'https://appleid.apple.com' };

export const disabled = {
  oauthProvider: (): AuthError => new AuthError(400, 'validation_failed', 'Unsupported provider: Provider is not enabled'),
  saml: (): AuthError => new AuthError(404, 'saml_provider_disabled', 'SAML 2.0 is disabled'),
  passkeys: (): AuthError => new AuthError(404, 'passkey_disabled', 'Passkeys are disabled'),
  oauthServer: (): AuthError => new AuthError(404, 'feature_disabled', 'OAuth server is disabled'),
  customProviders: (): AuthError => new AuthError(404, 'feature_disabled', 'Custom providers are disabled'),
  manualLinking: (): AuthError => new AuthError(404, 'manual_linking_disabled', 'Manual linking is disabled'),
  mfaPhoneEnroll: (): AuthError => new AuthError(422, 'mfa_phone_enroll_not_enabled', 'MFA enroll is disabled for Phone'),
  mfaWebauthnEnroll: (): AuthError => new AuthError(422, 'mfa_webauthn_enroll_not_enabled', 'MFA enroll is disabled for WebAuthn'),
  web3: (): AuthError => new AuthError(422, 'web3_provider_disabled', 'Web3 provider is disabled'),
  /** The id_token grant: the provider's issuer is named, as Supabase Auth does. */
  idToken: (provider: unknown): AuthError => {
    const issuer = typeof provider === 'string' ? ISSUERS[provider] : undefined;
    if (issuer === undefined) return new AuthError(400, 'validation_failed', 'Custom OAuth providers are disabled');
    return new AuthError(400, 'provider_disabled', `Provider (issuer "${issuer}") is not enabled`);
  },
};

export function registerDisabled(scope: FastifyInstance): void {
  const refuse = (error: () => AuthError) => async () => {
    throw error();
  };
  scope.get('/authorize', refuse(disabled.oauthProvider));
  scope.get('/user/identities/authorize', refuse(disabled.manualLinking));
  scope.delete('/user/identities/:id', refuse(disabled.manualLinking));
  for (const path of ['/sso', '/sso/*', '/admin/sso/*']) scope.all(path, refuse(disabled.saml));
  scope.all('/passkeys/*', refuse(disabled.passkeys));
  for (const path of ['/oauth/*', '/admin/oauth/*', '/user/oauth/grants']) scope.all(path, refuse(disabled.oauthServer));
  scope.all('/admin/custom-providers/*', refuse(disabled.customProviders));
}
