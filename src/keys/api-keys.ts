// The project's two API keys, as Supabase issues them: long-lived HS256 JWTs whose only
// claim of consequence is the role. They are derived from the secret with fixed
// timestamps, so the same secret always yields the same keys on every node.
import { SignJWT } from 'jose';

export interface ApiKeys {
  readonly anon: string;
  readonly serviceRole: string;
}

const ISSUED_AT = 1767225600; // 2026-01-01T00:00:00Z
const TEN_YEARS = 10 * 365 * 24 * 3600;

async function sign(secret: string, role: string): Promise<string> {
  return new SignJWT({ iss: 'groundwork', ref: 'local', role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(ISSUED_AT)
    .setExpirationTime(ISSUED_AT + TEN_YEARS)
    .sign(new TextEncoder().encode(secret));
}

export async function deriveApiKeys(secret: string): Promise<ApiKeys> {
  return { anon: await sign(secret, 'anon'), serviceRole: await sign(secret, 'service_role') };
}
