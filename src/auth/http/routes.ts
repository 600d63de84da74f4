// Mounts the Auth API at /auth/v1 (Supabase Auth's paths): each route reads its inputs
// from the request, counts its rate limits, and hands them to one flow.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authErrors, disabled } from '../errors.ts';
import { listOutbox } from '../flows/admin-outbox.ts';
import { adminDeleteFactor, adminListFactors, adminUpdateFactor } from '../flows/admin-factors.ts';
import { generateLink, invite } from '../flows/admin-links.ts';
import { adminCreateUser, adminDeleteUser, adminGetUser, adminListUsers, adminUpdateUser, paginationLink } from '../flows/admin-users.ts';
import { authenticate, mfaCaller, requireAdmin } from '../flows/caller.ts';
import { otp, recover, resend } from '../flows/email.ts';
import { challenge, enroll, unenroll, verifyFactor } from '../flows/mfa.ts';
import { passwordGrant } from '../flows/password.ts';
import { pkceGrant } from '../flows/pkce-grant.ts';
import { reauthenticate } from '../flows/reauthenticate.ts';
import { refreshGrant } from '../flows/refresh.ts';
import { signup } from '../flows/signup.ts';
import { getUser, logout, updateUser } from '../flows/user.ts';
import { verify, verifyLink } from '../flows/verify.ts';
import type { AuthDeps, Body } from '../types.ts';
import { registerDisabled } from './disabled.ts';
import { limitsOf } from './limits.ts';
import { bodyOf, prepareScope, queryParam, sendJson as json } from './scope.ts';
import { settings } from './settings.ts';

export const AUTH_PREFIX = '/auth/v1';
const VERSION = 'groundwork-auth';

export function registerAuth(app: FastifyInstance, deps: AuthDeps): void {
  void app.register(
    async (scope) => {
      prepareScope(scope, deps.observe);
      const limits = limitsOf(deps);
      const bearer = (r: FastifyRequest) => authenticate(deps, r.headers.authorization);
      const admin = (r: FastifyRequest) => requireAdmin(deps, r.headers.authorization);
      const redirectTo = (r: FastifyRequest) => queryParam(r, 'redirect_to');

      scope.get('/health', async (_r, reply) => json(reply, { version: VERSION, name: 'GoTrue', description: 'GoTrue is a user registration and authentication API' }));
      scope.get('/settings', async (_r, reply) => json(reply, settings(deps)));
      registerDisabled(scope);
      scope.get('/.well-known/jwks.json', async (_r, reply) => json(reply.header('cache-control', 'public, max-age=600'), { keys: deps.tokens.keySet.published }));
      // Public, as the REST document is; loaded on the first request, not at start-up.
      scope.get('/openapi.json', async (_r, reply) => reply.type('application/json; charset=utf-8').send((await import('./openapi/document.ts')).authDocumentJson(VERSION)));

      // Each counted under its action; verifications too, so codes cannot be guessed quickly.
      const limited: Array<[path: string, action: string, flow: (b: Body, to: string | undefined) => Promise<unknown>]> = [
        ['/signup', 'signup', (b, to) => signup(deps, b, to)],
        ['/recover', 'recover', (b, to) => recover(deps, b, to)],
        ['/otp', 'otp', (b, to) => otp(deps, b, to)],
        ['/magiclink', 'otp', (b, to) => otp(deps, b, to)],
        ['/resend', 'resend', (b, to) => resend(deps, b, to)],
        ['/verify', 'verify', (b) => verify(deps, b)],
      ];
      for (const [path, action, flow] of limited) {
        scope.post(path, async (r, reply) => {
          await limits.signInSignUps(action, r, bodyOf(r));
          return json(reply, await flow(bodyOf(r), redirectTo(r)));
        });
      }
      scope.get('/verify', async (r, reply) => {
        await limits.signInSignUps('verify', r, bodyOf(r));
        return reply.redirect(await verifyLink(deps, r.query as Record<string, string | undefined>), 303);
      });
      scope.post('/token', async (r, reply) => {
        const grant = queryParam(r, 'grant_type');
        await limits.token(r);
        if (grant === 'password') {
          await limits.signInSignUps('sign-in', r, bodyOf(r));
          return json(reply, await passwordGrant(deps, bodyOf(r)));
        }
        if (grant === 'refresh_token') return json(reply, await refreshGrant(deps, bodyOf(r)));
        if (grant === 'pkce') return json(reply, await pkceGrant(deps, bodyOf(r)));
        if (grant === 'id_token') throw disabled.idToken(bodyOf(r)['provider']);
        if (grant === 'web3') throw disabled.web3();
        throw authErrors.unsupportedGrant();
      });

      scope.get('/user', async (r, reply) => json(reply, await getUser(deps, await bearer(r))));
      scope.put('/user', async (r, reply) => json(reply, await updateUser(deps, await bearer(r), bodyOf(r), redirectTo(r))));
      scope.get('/reauthenticate', async (r, reply) => json(reply, await reauthenticate(deps, await bearer(r))));
      scope.post('/logout', async (r, reply) => {
        await logout(deps, await bearer(r), queryParam(r, 'scope'));
        return reply.code(204).send();
      });

      // MFA: challenges and verifications are counted per client address and per factor, so codes cannot be guessed quickly.
      const id = (r: FastifyRequest) => (r.params as Record<string, string>)['id'] ?? '';
      const mfa = (r: FastifyRequest) => mfaCaller(deps, r.headers.authorization);
      scope.post('/factors', async (r, reply) => json(reply, await enroll(deps, await mfa(r), bodyOf(r))));
      scope.post('/factors/:id/challenge', async (r, reply) => {
        const who = await mfa(r);
        await limits.mfa(r, id(r));
        return json(reply, await challenge(deps, who, id(r), limits.ip(r)));
      });
      scope.post('/factors/:id/verify', async (r, reply) => {
        const who = await mfa(r);
        await limits.mfa(r, id(r));
        return json(reply, await verifyFactor(deps, who, id(r), bodyOf(r), limits.ip(r)));
      });
      scope.delete('/factors/:id', async (r, reply) => json(reply, await unenroll(deps, await mfa(r), id(r))));

      // The admin API: a service_role token first, then the flow.
      scope.post('/invite', async (r, reply) => json(reply, await admin(r).then(() => invite(deps, bodyOf(r), redirectTo(r)))));
      scope.post('/admin/generate_link', async (r, reply) => json(reply, await admin(r).then(() => generateLink(deps, bodyOf(r), redirectTo(r)))));
      scope.get('/admin/outbox', async (r, reply) => {
        await admin(r);
        const limit = Number(queryParam(r, 'limit') ?? 50);
        return json(reply, await listOutbox(deps, Number.isInteger(limit) && limit > 0 ? Math.min(limit, 500) : 50));
      });
      scope.post('/admin/users', async (r, reply) => json(reply, await admin(r).then(() => adminCreateUser(deps, bodyOf(r)))));
      scope.get('/admin/users', async (r, reply) => {
        await admin(r);
        const page = await adminListUsers(deps, r.query as Record<string, string | undefined>);
        reply.header('x-total-count', String(page.total)).header('link', paginationLink('/admin/users', page));
        return json(reply, { users: page.users, aud: 'authenticated' });
      });
      const factor = (r: FastifyRequest) => (r.params as Record<string, string>)['factor'] ?? '';
      scope.get('/admin/users/:id/factors', async (r, reply) => json(reply, await admin(r).then(() => adminListFactors(deps, id(r)))));
      scope.put('/admin/users/:id/factors/:factor', async (r, reply) => json(reply, await admin(r).then(() => adminUpdateFactor(deps, id(r), factor(r), bodyOf(r)))));
      scope.delete('/admin/users/:id/factors/:factor', async (r, reply) => json(reply, await admin(r).then(() => adminDeleteFactor(deps, id(r), factor(r)))));
      scope.get('/admin/users/:id', async (r, reply) => json(reply, await admin(r).then(() => adminGetUser(deps, id(r)))));
      scope.put('/admin/users/:id', async (r, reply) => json(reply, await admin(r).then(() => adminUpdateUser(deps, id(r), bodyOf(r)))));
      scope.delete('/admin/users/:id', async (r, reply) => json(reply, await admin(r).then(() => adminDeleteUser(deps, id(r), bodyOf(r)['should_soft_delete'] === true))));
    },
    { prefix: AUTH_PREFIX },
  );
}
