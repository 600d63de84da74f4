// The reauthentication nonce on the user (`reauthentication_token`, hashed with the address
// it went to) and what deciding whether a password change needs it reads.
import { sql } from '../../lib/sql.ts';
import type { Queryable } from '../../db/port.ts';
import { RESEND_INTERVAL } from './codes.ts';

export interface ReauthTarget {
  email: string | null;
  phone: string | null;
  email_ok: boolean;
  phone_ok: boolean;
  /** Seconds until another nonce may be sent (null or ≤ 0: now). */
  wait: number | null;
  data: unknown;
}

export async function reauthTarget(tx: Queryable, userId: string): Promise<ReauthTarget | undefined> {
  const { rows } = await tx.query<ReauthTarget & Record<string, unknown>>(sql`
    select nullif(email, '') as email, nullif(phone, '') as phone, email_confirmed_at is not null as email_ok,
      phone_confirmed_at is not null as phone_ok, raw_user_meta_data as data,
      ceil(extract(epoch from (reauthentication_sent_at + make_interval(secs => ${RESEND_INTERVAL}) - now())))::int as wait
    from auth.users where id = ${userId}::uuid`);
  return rows[0];
}

export async function saveNonce(tx: Queryable, userId: string, hash: string): Promise<void> {
  await tx.query(sql`update auth.users set reauthentication_token = ${hash}, reauthentication_sent_at = now() where id = ${userId}::uuid`);
}

export interface NonceState {
  /** The session began less than 24 hours ago. */
  recent: boolean;
  /** The address the nonce was hashed with: the email, else the phone. */
  email: string | null;
  token: string | null;
  /** Sent less than `expiry` seconds ago. */
  live: boolean;
}

export async function nonceState(tx: Queryable, userId: string, sessionId: string | undefined, expiry: number): Promise<NonceState | undefined> {
  const { rows } = await tx.query<NonceState & Record<string, unknown>>(sql`
    select coalesce((select created_at > now() - interval '24 hours' from auth.sessions where id = ${sessionId ?? null}::uuid), false) as recent,
      coalesce(nullif(email, ''), nullif(phone, '')) as email, nullif(reauthentication_token, '') as token,
      coalesce(reauthentication_sent_at + make_interval(secs => ${expiry}) > now(), false) as live
    from auth.users where id = ${userId}::uuid`);
  return rows[0];
}

export async function spendNonce(tx: Queryable, userId: string): Promise<void> {
  await tx.query(sql`update auth.users set reauthentication_token = '' where id = ${userId}::uuid`);
}
