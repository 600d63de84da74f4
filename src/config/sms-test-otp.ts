// GROUNDWORK_AUTH_SMS_TEST_OTP: fixed codes for test phone numbers (like GoTrue's
// GOTRUE_SMS_TEST_OTP), written `phone=otp,phone=otp`. Pure.
import { e164 } from '../lib/phone.ts';

/** The map from normalised phone to code; throws an Error naming the first bad entry. */
export function parseSmsTestOtp(text: string): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  for (const entry of text.split(',').map((x) => x.trim()).filter((x) => x !== '')) {
    // `:` too, because that is how GoTrue's environment variable writes the pairs.
    const m = /^([^=:]+)[=:]\s*(\d{1,10})$/.exec(entry);
    const phone = e164(m?.[1]?.trim());
    if (m === null || phone === undefined) throw new Error(`must be phone=code pairs, comma-separated, with E.164 phones and codes of up to 10 digits (bad entry ${JSON.stringify(entry)})`);
    map.set(phone, m[2] as string);
  }
  return map;
}
