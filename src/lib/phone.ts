// Phone numbers as Supabase Auth takes them: one leading `+` and every space dropped, then
// E.164 digits (country code first, at most 15 digits). Stored and returned without `+`. Pure.

/** Drops one leading `+` and all whitespace, checking nothing (what the password grant does). */
export function formatPhone(phone: string): string {
  return phone.replace(/^\+/, '').replace(/\s/g, '');
}

/** The E.164 digits of a phone number, or undefined when it is not one. */
export function e164(phone: unknown): string | undefined {
  if (typeof phone !== 'string') return undefined;
  const digits = formatPhone(phone);
  return /^[1-9]\d{1,14}$/.test(digits) ? digits : undefined;
}
