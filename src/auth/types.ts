// The types every layer of Auth shares, at the bottom of its imports: what a flow is given
// (AuthDeps), who calls (Authenticated), the user and session as Supabase Auth answers them.
// Types only: nothing here runs.
import type { Config } from '../config/load.ts';
import type { Database } from '../db/port.ts';
import type { KeySet } from '../keys/key-set.ts';
import type { TokenVerifier } from '../keys/verify-token.ts';
import type { MailTemplates } from '../mail/templates.ts';
import type { Observer } from '../observe/events.ts';

/** A request body as parsed JSON (an empty body is `{}`). */
export type Body = Record<string, unknown>;

export type AuthConfig = Config['auth'];

export interface TokenSettings {
  readonly secret: string;
  readonly expiry: number;
  readonly issuer: string;
  readonly keySet: KeySet;
}

export interface AuthDeps {
  /** Auth's own connection: transactions run as `supabase_auth_admin`, never as a superuser. */
  readonly db: Database;
  readonly config: AuthConfig;
  readonly tokens: TokenSettings;
  readonly verify: TokenVerifier;
  readonly observe: Observer;
  /** Where this server is reached, for links in emails (e.g. http://127.0.0.1:54321); known once listening. */
  readonly externalUrl: () => string;
  /** The project's email templates, read at start-up; the built-in ones when absent. */
  readonly mailTemplates?: MailTemplates;
  /** The name of the configured SMS provider (`webhook`, `twilio`); absent: SMS stay in the outbox. */
  readonly smsProvider?: string;
  /** Emails go out over SMTP (else they stay in the outbox). */
  readonly mailDelivered?: boolean;
}

/** The caller of a user endpoint, from its access token. */
export interface Authenticated {
  readonly userId: string;
  readonly sessionId: string | undefined;
  /** The token's `is_anonymous` claim. */
  readonly anonymous?: boolean;
}

/** The user as Supabase Auth serialises it. */
export type UserJson = Record<string, unknown> & { id: string; email: string; phone: string; role: string; is_anonymous: boolean };

/** What a password sign-in or a code lookup needs to know about a user. */
export interface LoginRow {
  id: string;
  encrypted_password: string | null;
  confirmed: boolean;
  banned: boolean;
}

/** A session's refresh token and its authentication methods, newest first. */
export interface SessionGrant {
  readonly sessionId: string;
  readonly refreshToken: string;
  readonly amr: ReadonlyArray<{ method: string; timestamp: number }>;
  readonly aal: 'aal1' | 'aal2';
}

export interface SessionResponse {
  readonly access_token: string;
  readonly token_type: 'bearer';
  readonly expires_in: number;
  readonly expires_at: number;
  readonly refresh_token: string;
  readonly user: UserJson;
  readonly weak_password?: unknown;
}
