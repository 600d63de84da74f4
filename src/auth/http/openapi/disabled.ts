// The Auth document: routes of features Groundwork's Auth does not offer (../disabled.ts).
// Each answers the error Supabase Auth gives when the feature is off, for any method.
import { pathParam, responseRef, type DocumentedPath, type Operation, type PathItem } from '../../../lib/openapi.ts';
import { PUBLIC } from './components.ts';

const tags = ['Not offered'];
const subpath = pathParam('subpath', 'Any path below this one');

function refused(summary: string, status: '400' | '404', code: string, withSubpath: boolean): Operation {
  return {
    tags,
    summary,
    description: `Answers ${status} \`${code}\`.`,
    security: PUBLIC,
    ...(withSubpath ? { parameters: [subpath] } : {}),
    responses: { [status]: responseRef(status === '400' ? 'BadRequest' : 'NotFound') },
  };
}

/** Every method Fastify's `all` routes we document (HEAD, OPTIONS and the rest answer alike). */
function anyMethod(op: Operation): PathItem {
  return { get: op, post: op, put: op, patch: op, delete: op };
}

const wildcard = (path: string, summary: string, code: string): DocumentedPath => {
  const base = path.slice(0, -'/{subpath}'.length);
  return { path, routes: [`${base}/*`], item: anyMethod(refused(summary, '404', code, true)) };
};

export const disabledPaths: readonly DocumentedPath[] = [
  { path: '/authorize', item: { get: refused('OAuth providers (not offered)', '400', 'validation_failed', false) } },
  { path: '/user/identities/authorize', item: { get: refused('Linking an OAuth identity (not offered)', '404', 'manual_linking_disabled', false) } },
  { path: '/user/identities/{id}', item: { delete: { ...refused('Unlinking an identity (not offered)', '404', 'manual_linking_disabled', false), parameters: [pathParam('id', 'The identity')] } } },
  { path: '/sso', item: anyMethod(refused('SAML single sign-on (not offered)', '404', 'saml_provider_disabled', false)) },
  wildcard('/sso/{subpath}', 'SAML single sign-on (not offered)', 'saml_provider_disabled'),
  wildcard('/admin/sso/{subpath}', 'SAML providers (not offered)', 'saml_provider_disabled'),
  wildcard('/passkeys/{subpath}', 'Passkeys (not offered)', 'passkey_disabled'),
  wildcard('/oauth/{subpath}', 'OAuth 2.1 server (not offered)', 'feature_disabled'),
  wildcard('/admin/oauth/{subpath}', 'OAuth 2.1 server clients (not offered)', 'feature_disabled'),
  { path: '/user/oauth/grants', item: anyMethod(refused('OAuth 2.1 server grants (not offered)', '404', 'feature_disabled', false)) },
  wildcard('/admin/custom-providers/{subpath}', 'Custom OAuth providers (not offered)', 'feature_disabled'),
];
