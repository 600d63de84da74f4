// GET /settings: what this instance offers, as Supabase Auth reports it (clients read it to
// show the sign-in methods).
import { OUTBOX_ONLY } from '../../sms/provider.ts';
import type { AuthDeps } from '../types.ts';

const EXTERNAL_PROVIDERS = ['apple', 'azure', 'bitbucket', 'discord', 'facebook', 'figma', 'fly', 'github', 'gitlab', 'google', 'keycloak', 'kakao', 'linkedin', 'linkedin_oidc', 'notion', 'slack', 'slack_oidc', 'snapchat', 'spotify', 'twitch', 'twitter', 'workos', 'zoom'];

export function settings(deps: AuthDeps): Record<string, unknown> {
  return {
    external: { ...Object.fromEntries(EXTERNAL_PROVIDERS.map((p) => [p, false])), anonymous_users: deps.config.anonymousSignIns, email: true, phone: deps.config.phoneEnabled },
    disable_signup: deps.config.disableSignup,
    mailer_autoconfirm: deps.config.autoconfirm,
    phone_autoconfirm: deps.config.phoneAutoconfirm,
    sms_provider: deps.smsProvider ?? (deps.config.phoneEnabled && deps.config.smsOutbox ? OUTBOX_ONLY : ''),
    saml_enabled: false,
    saml_private_key_next_configured: false,
    passkeys_enabled: false,
  };
}
