// Routes of features Groundwork's Auth does not offer (yet): each answers with the error
// Supabase Auth gives when the feature is turned off.
import type { FastifyInstance } from 'fastify';
import { disabled, type AuthError } from '../errors.ts';

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
