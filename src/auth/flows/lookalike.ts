// What a repeated sign-up sees when confirmations are on: a user shaped exactly like a new,
// unconfirmed sign-up (new id, timestamps of now), built from the request alone so that no
// field of the real account (confirmation, sign-ins, recovery, factors) shows through. As in
// Supabase, `identities` is empty and `role` blank: the documented hint for the app's own UI.
import type { UserJson } from '../types.ts';

export function lookalikeUser(provider: 'email' | 'phone', address: string, data: Readonly<Record<string, unknown>>): UserJson {
  const now = new Date().toISOString().replace(/Z$/, '000Z'); // microseconds, as real users' timestamps
  return {
    id: crypto.randomUUID(),
    aud: 'authenticated',
    role: '',
    email: provider === 'email' ? address : '',
    phone: provider === 'phone' ? address : '',
    confirmation_sent_at: now,
    app_metadata: { provider, providers: [provider] },
    user_metadata: { ...data },
    identities: [],
    created_at: now,
    updated_at: now,
    is_anonymous: false,
  };
}
