// Rate limits counted before a flow runs (the counters themselves are store/rate-limits.ts):
// per client address and, when the body names one, per email or phone, so that many
// addresses aiming at one account are limited too; MFA per address and per factor.
import type { FastifyRequest } from 'fastify';
import { formatPhone } from '../../lib/phone.ts';
import { hit } from '../store/rate-limits.ts';
import type { AuthDeps, Body } from '../types.ts';

/** The client's address: the configured proxy header's first value, else the socket's. */
export function clientIp(headers: Readonly<Record<string, string | string[] | undefined>>, socketIp: string, header: string | undefined): string {
  if (header === undefined) return socketIp;
  const v = headers[header];
  const first = (typeof v === 'string' ? v : v?.[0])?.split(',')[0]?.trim();
  return first === undefined || first === '' ? socketIp : first;
}

export interface Limits {
  /** The request's client address (for counters and MFA challenges). */
  ip(r: FastifyRequest): string;
  /** Sign-ups, sign-ins, emails and codes: counted under `action`. */
  signInSignUps(action: string, r: FastifyRequest, body: Body): Promise<void>;
  /** Every /token request, per address. */
  token(r: FastifyRequest): Promise<void>;
  /** MFA challenges and verifications of the factor `factorId`. */
  mfa(r: FastifyRequest, factorId: string): Promise<void>;
}

export function limitsOf(deps: AuthDeps): Limits {
  const limits = deps.config.rateLimits;
  const ip = (r: FastifyRequest) => clientIp(r.headers, r.ip, limits.ipHeader);
  return {
    ip,
    async signInSignUps(action, r, body) {
      await hit(deps.db, `${action}:ip:${ip(r)}`, limits.signInSignUps);
      const email = body['email'];
      if (typeof email === 'string') await hit(deps.db, `${action}:email:${email.toLowerCase()}`, limits.signInSignUps);
      const phone = body['phone'];
      if (typeof phone === 'string') await hit(deps.db, `${action}:phone:${formatPhone(phone)}`, limits.signInSignUps);
    },
    token: (r) => hit(deps.db, `token:ip:${ip(r)}`, limits.token),
    async mfa(r, factorId) {
      await hit(deps.db, `mfa:ip:${ip(r)}`, limits.mfa);
      await hit(deps.db, `mfa:factor:${factorId}`, limits.mfa);
    },
  };
}
