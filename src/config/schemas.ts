// The validations settings share (zod), one each: whole numbers, ports, switches, lists,
// PostgreSQL URLs, code lifetimes.
import { z } from 'zod';

/** Digits only, as a number; `what` names the kind of number in the message. */
export const whole = (what = 'a whole number'): z.ZodPipe<z.ZodString, z.ZodTransform<number, string>> =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be ${what}`)
    .transform(Number);
/** Counts and durations that must be at least 1. */
export const positive = whole('a positive whole number').refine((n) => n > 0, 'must be a positive whole number');
/** Code lifetimes: at most a day, as Supabase allows, so the outbox can drop older messages (src/outbox/claims.ts). */
export const lifetime = whole().pipe(z.number().max(86400, 'must be at most 86400 (a day)'));
export const port = whole().pipe(z.number().max(65535, 'must be between 0 and 65535 (0 picks a free port)'));
export const bool = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], { message: 'must be true or false' }))
  .transform((s) => ['1', 'true', 'yes', 'on'].includes(s));
export const nameList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x !== ''))
  .pipe(z.array(z.string()).min(1, 'must name at least one schema'));
export const postgresUrl = z
  .string()
  .refine((s) => /^postgres(ql)?:\/\/.+/.test(s), 'must be a postgres:// or postgresql:// URL')
  .refine((s) => URL.canParse(s), 'is not a valid URL');
