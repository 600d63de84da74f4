// A pending email change on the user: the new address, a code hash for it and, with secure
// email change, one for the current address; `email_change_confirm_status` counts the
// confirmations so far. Codes are made by the flow (flows/email-change.ts).
import { sql } from '../../lib/sql.ts';
import type { Queryable } from '../../db/port.ts';
import { RESEND_INTERVAL } from './codes.ts';
import { setIdentity } from './users.ts';

export interface ChangeHashes {
  /** The hash of the code sent to the new address. */
  readonly next: string;
  /** The hash of the code sent to the current address, when it must confirm too. */
  readonly current: string | undefined;
}

/** Records the pending change and its code hashes (and mirrors them in auth.one_time_tokens). */
export async function saveEmailChange(tx: Queryable, userId: string, currentEmail: string, newEmail: string, hashes: ChangeHashes): Promise<void> {
  await tx.query(sql`update auth.users set email_change = ${newEmail}, email_change_token_new = ${hashes.next},
    email_change_token_current = ${hashes.current ?? ''}, email_change_confirm_status = 0, email_change_sent_at = now(), updated_at = now()
    where id = ${userId}::uuid`);
  const tokens: Array<[string, string, string]> = [['email_change_token_new', hashes.next, newEmail]];
  if (hashes.current !== undefined) tokens.push(['email_change_token_current', hashes.current, currentEmail]);
  await tx.query(sql`delete from auth.one_time_tokens where user_id = ${userId}::uuid and token_type in ('email_change_token_new', 'email_change_token_current')`);
  for (const [type, hash, relatesTo] of tokens) {
    await tx.query(sql`insert into auth.one_time_tokens (id, user_id, token_type, token_hash, relates_to)
      values (gen_random_uuid(), ${userId}::uuid, ${type}::auth.one_time_token_type, ${hash}, ${relatesTo})`);
  }
}

/** Makes `email` the user's confirmed address, with an email identity, and clears any pending change. */
export async function applyEmail(tx: Queryable, userId: string, email: string): Promise<void> {
  await tx.query(sql`update auth.users set email = ${email}, email_confirmed_at = now(), is_anonymous = false,
    email_change = '', email_change_token_new = '', email_change_token_current = '', email_change_confirm_status = 0,
    raw_user_meta_data = coalesce(raw_user_meta_data, '{}') || '{"email_verified": true}', updated_at = now() where id = ${userId}::uuid`);
  await setIdentity(tx, userId, 'email', { email, email_verified: true }, { sub: userId, email, email_verified: true, phone_verified: false });
  await tx.query(sql`delete from auth.one_time_tokens where user_id = ${userId}::uuid and token_type in ('email_change_token_new', 'email_change_token_current')`);
}

/** What a change request needs of the user: the current address, anonymity, and seconds until another change email may go. */
export async function changeRequester(tx: Queryable, userId: string): Promise<{ email: string; anonymous: boolean; wait: number | null } | undefined> {
  const { rows } = await tx.query<{ email: string; anonymous: boolean; wait: number | null }>(sql`
    select coalesce(email, '') as email, is_anonymous as anonymous,
      ceil(extract(epoch from (email_change_sent_at + make_interval(secs => ${RESEND_INTERVAL}) - now())))::int as wait
    from auth.users where id = ${userId}::uuid`);
  return rows[0];
}

export interface PendingChange {
  id: string;
  email: string;
  new_email: string;
  tok_new: string;
  tok_cur: string;
  status: number;
  live: boolean;
  banned: boolean;
}

/** Users with a pending change matching a link's hash, or either address of a typed code; locked. */
export async function lockPendingChanges(tx: Queryable, by: { readonly hash: string } | { readonly email: string }, expiry: number): Promise<PendingChange[]> {
  const match = 'hash' in by
    ? sql`(email_change_token_new = ${by.hash} or email_change_token_current = ${by.hash})`
    : sql`(lower(email) = ${by.email} or lower(email_change) = ${by.email})`;
  const { rows } = await tx.query<PendingChange & Record<string, unknown>>(sql`
    select id::text, coalesce(email, '') as email, email_change as new_email, coalesce(email_change_token_new, '') as tok_new,
      coalesce(email_change_token_current, '') as tok_cur, coalesce(email_change_confirm_status, 0)::int as status,
      coalesce(email_change_sent_at + make_interval(secs => ${expiry}) > now(), false) as live,
      coalesce(banned_until > now(), false) as banned
    from auth.users where deleted_at is null and coalesce(email_change, '') <> '' and ${match} for update`);
  return rows;
}

/** The first of two confirmations: that address's token is spent; the other is awaited. */
export async function confirmOneOfTwo(tx: Queryable, userId: string, which: 'new' | 'current'): Promise<void> {
  const column = which === 'new' ? sql`email_change_token_new` : sql`email_change_token_current`;
  await tx.query(sql`update auth.users set ${column} = '', email_change_confirm_status = 1, updated_at = now() where id = ${userId}::uuid`);
}
