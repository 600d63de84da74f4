// Mounts the Auth API at /auth/v1 (Supabase Auth's paths). Bodies are JSON (an empty body
// is {}, as supabase-js sends none on logout); errors render in the shape the request's
// X-Supabase-Api-Version asks for.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AuthError, apiVersion, authErrors, renderAuthError } from './errors.ts';
import { clientIp, hit } from './rate-limit.ts';
import { authenticate, getUser, logout, passwordGrant, refreshGrant, signup, updateUser, type AuthDeps } from './flows.ts';
import { listOutbox, otp, recover, resend } from './email-flows.ts';
import { verify, verifyLink } from './verify.ts';
import { pkceGrant } from './pkce-grant.ts';
import { generateLink, invite } from './admin-links.ts';
import { reauthenticate } from './reauthenticate.ts';
import { disabled, registerDisabled } from './disabled.ts';
import { adminListFactors, adminDeleteFactor, adminUpdateFactor, challenge, enroll, mfaCaller, unenroll, verifyFactor } from './mfa.ts';
import { formatPhone } from '../lib/phone.ts';
import { OUTBOX_ONLY } from '../sms/provider.ts';
import { adminCreateUser, adminDeleteUser, adminGetUser, adminListUsers, adminUpdateUser, paginationLink, requireAdmin } from './admin.ts';

const PREFIX = '/auth/v1';
const VERSION = 'groundwork-auth';

function settings(deps: AuthDeps): Record<string, unknown> {
  const providers = ['apple', 'azure', 'bitbucket', 'discord', 'facebook', 'figma', 'fly', 'github', 'gitlab', 'google', 'keycloak', 'kakao', 'linkedin', 'linkedin_oidc', 'notion', 'slack', 'slack_oidc', 'snapchat', 'spotify', 'twitch', 'twitter', 'workos', 'zoom'];
  return {
    external: { ...Object.fromEntries(providers.map((p) => [p, false])), anonymous_users: deps.config.anonymousSignIns, email: true, phone: deps.config.phoneEnabled },
    disable_signup: deps.config.disableSignup,
    mailer_autoconfirm: deps.config.autoconfirm,
    phone_autoconfirm: deps.config.phoneAutoconfirm,
    sms_provider: deps.smsProvider ?? (deps.config.phoneEnabled && deps.config.smsOutbox ? OUTBOX_ONLY : ''),
    saml_enabled: false,
    saml_private_key_next_configured: false,
    passkeys_enabled: false,
  };
}

export function registerAuth(app: FastifyInstance, deps: AuthDeps): void {
  void app.register(
    async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
        const text = String(body).trim();
        if (text === '') return done(null, {});
        try {
          done(null, JSON.parse(text));
        } catch (e) {
          done(authErrors.badJson(e instanceof Error ? e.message : String(e)), undefined);
        }
      });
      scope.setErrorHandler(async (error, request, reply) => {
        const known = error instanceof AuthError ? error : undefined;
        if (known === undefined) deps.observe({ type: 'request-failed', requestId: request.id, error });
        const { status, headers, body } = renderAuthError(known ?? authErrors.unexpected(), apiVersion(String(request.headers['x-supabase-api-version'] ?? '')));
        return reply.code(status).headers(headers).send(body);
      });
      const body = (r: FastifyRequest) => (typeof r.body === 'object' && r.body !== null ? (r.body as Record<string, unknown>) : {});
      const bearer = (r: FastifyRequest) => authenticate(deps, r.headers.authorization);
      const json = (reply: FastifyReply, value: unknown) => reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(value));

      scope.get('/health', async (_r, reply) => json(reply, { version: VERSION, name: 'GoTrue', description: 'GoTrue is a user registration and authentication API' }));
      scope.get('/settings', async (_r, reply) => json(reply, settings(deps)));
      registerDisabled(scope);
      scope.get('/.well-known/jwks.json', async (_r, reply) => json(reply.header('cache-control', 'public, max-age=600'), { keys: deps.tokens.keySet.published }));
      const admin = (r: FastifyRequest) => requireAdmin(deps, r.headers.authorization);
      const limits = deps.config.rateLimits;
      const ip = (r: FastifyRequest) => clientIp(r.headers, r.ip, limits.ipHeader);
      const redirectTo = (r: FastifyRequest) => (r.query as Record<string, string | undefined>)['redirect_to'];
      /** Counts a request per client address and, when it names one, per email or phone: many addresses aiming at one account are limited too. */
      const limit = async (action: string, r: FastifyRequest) => {
        await hit(deps.db, `${action}:ip:${ip(r)}`, limits.signInSignUps);
        const email = body(r)['email'];
        if (typeof email === 'string') await hit(deps.db, `${action}:email:${email.toLowerCase()}`, limits.signInSignUps);
        const phone = body(r)['phone'];
        if (typeof phone === 'string') await hit(deps.db, `${action}:phone:${formatPhone(phone)}`, limits.signInSignUps);
      };
      // Each counted under its action; verifications too, so codes cannot be guessed quickly.
      const limited: Array<[path: string, action: string, flow: (b: Record<string, unknown>, to: string | undefined) => Promise<unknown>]> = [
        ['/signup', 'signup', (b, to) => signup(deps, b, to)],
        ['/recover', 'recover', (b, to) => recover(deps, b, to)],
        ['/otp', 'otp', (b, to) => otp(deps, b, to)],
        ['/magiclink', 'otp', (b, to) => otp(deps, b, to)],
        ['/resend', 'resend', (b, to) => resend(deps, b, to)],
        ['/verify', 'verify', (b) => verify(deps, b)],
      ];
      for (const [path, action, flow] of limited) {
        scope.post(path, async (r, reply) => {
          await limit(action, r);
          return json(reply, await flow(body(r), redirectTo(r)));
        });
      }
      scope.get('/verify', async (r, reply) => {
        await limit('verify', r);
        return reply.redirect(await verifyLink(deps, r.query as Record<string, string | undefined>), 303);
      });
      scope.get('/admin/outbox', async (r, reply) => {
        await admin(r);
        const limit = Number((r.query as Record<string, string | undefined>)['limit'] ?? 50);
        return json(reply, await listOutbox(deps, Number.isInteger(limit) && limit > 0 ? Math.min(limit, 500) : 50));
      });
      scope.post('/token', async (r, reply) => {
        const grant = (r.query as Record<string, string | undefined>)['grant_type'];
        await hit(deps.db, `token:ip:${ip(r)}`, limits.token);
        if (grant === 'password') {
          await limit('sign-in', r);
          return json(reply, await passwordGrant(deps, body(r)));
        }
        if (grant === 'refresh_token') return json(reply, await refreshGrant(deps, body(r)));
        if (grant === 'pkce') return json(reply, await pkceGrant(deps, body(r)));
        if (grant === 'id_token') throw disabled.idToken(body(r)['provider']);
        if (grant === 'web3') throw disabled.web3();
        throw authErrors.unsupportedGrant();
      });
      scope.get('/user', async (r, reply) => json(reply, await getUser(deps, await bearer(r))));
      scope.put('/user', async (r, reply) => json(reply, await updateUser(deps, await bearer(r), body(r), redirectTo(r))));
      scope.get('/reauthenticate', async (r, reply) => json(reply, await reauthenticate(deps, await bearer(r))));
      scope.post('/invite', async (r, reply) => json(reply, await admin(r).then(() => invite(deps, body(r), redirectTo(r)))));
      scope.post('/admin/generate_link', async (r, reply) => json(reply, await admin(r).then(() => generateLink(deps, body(r), redirectTo(r)))));

      const userId = (r: FastifyRequest) => (r.params as Record<string, string>)['id'] ?? '';
      scope.post('/admin/users', async (r, reply) => json(reply, await admin(r).then(() => adminCreateUser(deps, body(r)))));
      scope.get('/admin/users', async (r, reply) => {
        await admin(r);
        const page = await adminListUsers(deps, r.query as Record<string, string | undefined>);
        reply.header('x-total-count', String(page.total)).header('link', paginationLink('/admin/users', page));
        return json(reply, { users: page.users, aud: 'authenticated' });
      });
      const factorId = (r: FastifyRequest) => (r.params as Record<string, string>)['factor'] ?? '';
      scope.get('/admin/users/:id/factors', async (r, reply) => json(reply, await admin(r).then(() => adminListFactors(deps, userId(r)))));
      scope.put('/admin/users/:id/factors/:factor', async (r, reply) => json(reply, await admin(r).then(() => adminUpdateFactor(deps, userId(r), factorId(r), body(r)))));
      scope.delete('/admin/users/:id/factors/:factor', async (r, reply) => json(reply, await admin(r).then(() => adminDeleteFactor(deps, userId(r), factorId(r)))));
      scope.get('/admin/users/:id', async (r, reply) => json(reply, await admin(r).then(() => adminGetUser(deps, userId(r)))));
      scope.put('/admin/users/:id', async (r, reply) => json(reply, await admin(r).then(() => adminUpdateUser(deps, userId(r), body(r)))));
      scope.delete('/admin/users/:id', async (r, reply) => json(reply, await admin(r).then(() => adminDeleteUser(deps, userId(r), body(r)['should_soft_delete'] === true))));
      // MFA: challenges and verifications are counted per client address and per factor, so codes cannot be guessed quickly.
      const mfaLimit = async (r: FastifyRequest) => {
        await hit(deps.db, `mfa:ip:${ip(r)}`, limits.mfa);
        await hit(deps.db, `mfa:factor:${userId(r)}`, limits.mfa);
      };
      const mfa = (r: FastifyRequest) => mfaCaller(deps, r.headers.authorization);
      scope.post('/factors', async (r, reply) => json(reply, await enroll(deps, await mfa(r), body(r))));
      scope.post('/factors/:id/challenge', async (r, reply) => {
        const who = await mfa(r);
        await mfaLimit(r);
        return json(reply, await challenge(deps, who, userId(r), ip(r)));
      });
      scope.post('/factors/:id/verify', async (r, reply) => {
        const who = await mfa(r);
        await mfaLimit(r);
        return json(reply, await verifyFactor(deps, who, userId(r), body(r), ip(r)));
      });
      scope.delete('/factors/:id', async (r, reply) => json(reply, await unenroll(deps, await mfa(r), userId(r))));
      scope.post('/logout', async (r, reply) => {
        await logout(deps, await bearer(r), (r.query as Record<string, string | undefined>)['scope']);
        return reply.code(204).send();
      });
    },
    { prefix: PREFIX },
  );
}
