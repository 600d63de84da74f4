// Input rules of Supabase Auth, pure: email format, the password policy, phone numbers;
// and Groundwork's limits on bodies and metadata (README "Limits").
import { authErrors } from './errors.ts';
import { JSON_MAX_DEPTH, jsonShape } from '../lib/json-shape.ts';
import { e164 } from '../lib/phone.ts';

/** A JSON object from a request body, or undefined for anything else (null, arrays, scalars). */
/** Whether a body field was given at all: null and '' count as absent, as in Supabase Auth. */
export const present = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: string): boolean => UUID.test(v);

export function asObject(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

const EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** A valid, lower-cased email, or a validation_failed error. */
export function normaliseEmail(email: unknown): string {
  if (typeof email !== 'string' || email === '') throw authErrors.validation('An email address is required');
  if (email.length > 255) throw authErrors.validation('An email address is too long');
  if (!EMAIL.test(email)) throw authErrors.validation('Unable to validate email address: invalid format');
  return email.toLowerCase();
}

/** A valid phone as stored (E.164 digits, no `+`), or the validation error. */
export function normalisePhone(phone: unknown): string {
  const digits = e164(phone);
  if (digits === undefined) throw authErrors.invalidPhone();
  return digits;
}

export interface PasswordPolicy {
  readonly minLength: number;
  /** Sets of characters a password must each draw on at least once. */
  readonly requiredCharacters?: readonly string[];
}

export const passwordPolicy = (c: { readonly passwordMinLength: number; readonly passwordRequiredCharacters: readonly string[] }): PasswordPolicy => ({
  minLength: c.passwordMinLength,
  requiredCharacters: c.passwordRequiredCharacters,
});

/** Why a password is weak (empty when it is not); lengths count bytes, as GoTrue does. */
export function weakPasswordReasons(password: string, policy: PasswordPolicy): { reasons: string[]; message: string } {
  const reasons: string[] = [];
  const messages: string[] = [];
  if (Buffer.byteLength(password, 'utf8') < policy.minLength) {
    reasons.push('length');
    messages.push(`Password should be at least ${policy.minLength} characters.`);
  }
  const sets = policy.requiredCharacters ?? [];
  if (sets.some((set) => ![...set].some((ch) => password.includes(ch)))) {
    reasons.push('characters');
    messages.push(`Password should contain at least one character of each: ${sets.join(', ')}.`);
  }
  return { reasons, message: messages.join(' ') };
}

/** Enforces the policy: over 72 bytes (bcrypt's limit) is invalid, a weak one is refused. */
export function checkPassword(password: unknown, policy: PasswordPolicy): string {
  if (typeof password !== 'string' || password === '') throw authErrors.validation('Signup requires a valid password');
  if (Buffer.byteLength(password, 'utf8') > 72) throw authErrors.validation('Password cannot be longer than 72 characters');
  const weak = weakPasswordReasons(password, policy);
  if (weak.reasons.length > 0) throw authErrors.weakPassword(weak.message, weak.reasons);
  return password;
}

/**
 * Most bytes of JSON user_metadata and app_metadata may take together. Every access token
 * carries both (base64, so a third larger), and Node refuses request headers past 16 KB:
 * larger metadata would make a token that no later request could present.
 */
export const METADATA_MAX_BYTES = 8192;

const jsonBytes = (v: unknown): number => (v === undefined ? 0 : Buffer.byteLength(JSON.stringify(v), 'utf8'));

export function checkMetadataSize(user: unknown, app: unknown): void {
  const bytes = jsonBytes(user) + jsonBytes(app);
  if (bytes > METADATA_MAX_BYTES) throw authErrors.metadataTooLarge(bytes, METADATA_MAX_BYTES);
}

/** In `u` mode \p{Cs} matches only a surrogate that is not half of a pair. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Whether some key or string in a parsed body holds a lone UTF-16 surrogate (JSON allows the
 * escape; PostgreSQL's jsonb and UTF-8 text cannot hold it). Recursion is bounded: checkBody
 * calls it only once the body is known to be at most JSON_MAX_DEPTH deep.
 */
export function hasLoneSurrogate(v: unknown): boolean {
  if (typeof v === 'string') return LONE_SURROGATE.test(v);
  if (Array.isArray(v)) return v.some(hasLoneSurrogate);
  if (typeof v === 'object' && v !== null) return Object.entries(v).some(([k, x]) => LONE_SURROGATE.test(k) || hasLoneSurrogate(x));
  return false;
}

/**
 * What every body must be before a flow reads it (`text` as sent, `value` as parsed): nested
 * at most JSON_MAX_DEPTH (deeper overflows JSON.stringify), free of NUL (PostgreSQL's text
 * and jsonb cannot hold it) and of lone surrogates, and with each metadata field small enough for an access token.
 */
export function checkBody(text: string, value: unknown): void {
  const shape = jsonShape(text, JSON_MAX_DEPTH);
  if (shape.depth > JSON_MAX_DEPTH) throw authErrors.jsonTooDeep(JSON_MAX_DEPTH);
  if (shape.nul) throw authErrors.nulCharacter('body');
  if (hasLoneSurrogate(value)) throw authErrors.loneSurrogate();
  const body = asObject(value);
  if (body === undefined) return;
  for (const field of ['data', 'user_metadata', 'app_metadata']) {
    const metadata = asObject(body[field]);
    if (metadata !== undefined) checkMetadataSize(metadata, undefined);
  }
}
