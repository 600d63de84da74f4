// Time-based one-time passwords (RFC 6238 over RFC 4226) as authenticator apps and Supabase
// Auth use them: SHA-1, 6 digits, 30-second steps, one step of clock skew either way. Pure
// apart from the random secret.
import { createHmac, randomBytes } from 'node:crypto';
import { sameToken } from './otp.ts';
import { base32Decode, base32Encode } from '../../lib/base32.ts';

export const TOTP_PERIOD = 30;
export const TOTP_DIGITS = 6;
const SKEW = 1;

/** A new 160-bit secret in base32, the size RFC 4226 recommends for SHA-1. */
export function newTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

/** The HOTP value of `counter` under `key`, zero-padded to six digits. */
export function hotp(key: Uint8Array, counter: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = (mac[mac.length - 1] as number) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** TOTP_DIGITS).padStart(TOTP_DIGITS, '0');
}

/** The code for the step holding `unixSeconds`. */
export function totpAt(secret: string, unixSeconds: number): string {
  const key = base32Decode(secret);
  if (key === undefined) throw new Error('TOTP secret is not base32');
  return hotp(key, Math.floor(unixSeconds / TOTP_PERIOD));
}

/**
 * The step `code` belongs to, if it is the step at `unixSeconds` or one either side (every
 * candidate compared, in constant time); undefined when it matches none. Callers refuse a step
 * at or before the last one accepted, so a code works once.
 */
export function totpStep(secret: string, code: string, unixSeconds: number): number | undefined {
  const key = base32Decode(secret);
  if (key === undefined || !/^\d{6}$/.test(code)) return undefined;
  const now = Math.floor(unixSeconds / TOTP_PERIOD);
  let matched: number | undefined;
  for (let d = -SKEW; d <= SKEW; d++) if (sameToken(hotp(key, now + d), code) && matched === undefined) matched = now + d;
  return matched;
}

/** The otpauth:// URI authenticator apps read from the QR code. */
export function otpauthUri(secret: string, issuer: string, account: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const params = new URLSearchParams({ secret, issuer, algorithm: 'SHA1', digits: String(TOTP_DIGITS), period: String(TOTP_PERIOD) });
  return `otpauth://totp/${label}?${params.toString()}`;
}
