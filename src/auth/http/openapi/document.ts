// The Auth API's OpenAPI 3.1 document (GET /auth/v1/openapi.json), assembled from the parts
// grouped by flow. Built once, on the first request for it: start-up does not pay for it.
import { pathsOf, type DocumentedPath, type Document } from '../../../lib/openapi.ts';
import { adminPaths } from './admin.ts';
import { codePaths } from './codes.ts';
import { authComponents } from './components.ts';
import { disabledPaths } from './disabled.ts';
import { metaPaths } from './meta.ts';
import { signInPaths } from './sign-in.ts';
import { userPaths } from './user.ts';

/** Every documented path, relative to /auth/v1 (tests match them to the route table). */
export const authDocumentedPaths: readonly DocumentedPath[] = [...metaPaths, ...signInPaths, ...codePaths, ...userPaths, ...adminPaths, ...disabledPaths];

export function authDocument(version: string): Document {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Groundwork Auth API',
      version,
      description:
        "Supabase Auth's (GoTrue's) HTTP API as Groundwork serves it at /auth/v1: what supabase-js's `auth` calls. Errors come in two shapes chosen by the `X-Supabase-Api-Version` header; every error carries `x-sb-error-code`.",
    },
    servers: [{ url: '/auth/v1', description: 'This server' }],
    tags: [
      { name: 'Service', description: 'Health, settings, keys and this document' },
      { name: 'Sign up and sign in', description: 'Sessions: sign-up, the /token grants, /verify, logout' },
      { name: 'Emails and codes', description: 'Links and codes by email or SMS' },
      { name: 'User', description: 'The signed-in user' },
      { name: 'MFA', description: 'TOTP factors' },
      { name: 'Admin', description: 'For the service_role only; never from a browser' },
      { name: 'Not offered', description: "Features Groundwork's Auth does not have; they answer Supabase's \"disabled\" errors" },
    ],
    paths: pathsOf(authDocumentedPaths),
    components: authComponents,
  };
}

let cached: string | undefined;

/** The document as JSON text, built on first use. */
export function authDocumentJson(version: string): string {
  cached ??= JSON.stringify(authDocument(version));
  return cached;
}
