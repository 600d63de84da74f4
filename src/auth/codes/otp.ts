// One-time codes as Supabase Auth makes them, and where links may lead. Pure.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

/** A 6-digit code, zero-padded. */
export function newOtp(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** The stored form of a code: hex(sha224(email + code)); links carry this, emails the code. */
export function tokenHash(emailOrPhone: string, otp: string): string {
  return createHash('sha224').update(emailOrPhone + otp).digest('hex');
}

/** Whether a stored token hash equals a computed one, in constant time. */
export function sameToken(stored: string | null, computed: string): boolean {
  return stored !== null && stored.length === computed.length && timingSafeEqual(Buffer.from(stored), Buffer.from(computed));
}

function globToRegex(pattern: string): RegExp {
  const part = (p: string) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*');
  return new RegExp(`^${pattern.split('**').map(part).join('.*')}$`);
}

/**
 * Where a link may send the user: the requested URL when it is on the site URL's origin or
 * matches the allow-list, else the site URL itself.
 */
export function safeRedirect(requested: string | undefined, siteUrl: string, allowList: readonly string[]): string {
  if (requested === undefined || requested === '' || !URL.canParse(requested)) return siteUrl;
  if (new URL(requested).origin === new URL(siteUrl).origin) return requested;
  return allowList.some((p) => globToRegex(p).test(requested)) ? requested : siteUrl;
}
