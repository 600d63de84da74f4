// Admin links: inviting a user by email (`POST /invite`) and making a verification link
// without sending it (`POST /admin/generate_link`), as Supabase Auth does. Both store codes
// exactly as the email flows do, so /verify treats the links alike.
import { randomBytes } from 'node:crypto';
import { sql } from '../lib/sql.ts';
import type { Queryable } from '../db/port.ts';
import { AuthError, authErrors } from './errors.ts';
import type { AuthDeps } from './flows.ts';
import { issueCode, storeCode, verifyUrl, type Purpose } from './email-flows.ts';
import { createUser, findUserByEmail, hashPassword, userJson, type UserJson } from './store.ts';
import { asObject, checkPassword, normaliseEmail, passwordPolicy } from './validate.ts';

type Body = Record<string, unknown>;
const obj = (v: unknown): Record<string, unknown> => asObject(v) ?? {};

/** An invited user: unconfirmed, no usable password until they accept. */
async function invitedUser(tx: Queryable, email: string, data: Record<string, unknown>): Promise<string> {
  const existing = await findUserByEmail(tx, email);
  if (existing?.confirmed === true) throw authErrors.emailExists();
  const id = existing?.id ?? (await createUser(tx, { email, passwordHash: await hashPassword(tx, randomBytes(48).toString('base64url')), data, confirmed: false, anonymous: false }));
  await tx.query(sql`update auth.users set invited_at = now() where id = ${id}::uuid`);
  return id;
}

export async function invite(deps: AuthDeps, body: Body, redirectTo: string | undefined): Promise<UserJson> {
  const email = normaliseEmail(body['email']);
  return deps.db.transaction(async (tx) => {
    const id = await invitedUser(tx, email, obj(body['data']));
    await issueCode(tx, deps, id, email, 'confirmation', 'invite', 'invite', redirectTo);
    return (await userJson(tx, id)) as UserJson;
  });
}

export interface GeneratedLink extends UserJson {
  action_link: string;
  email_otp: string;
  hashed_token: string;
  verification_type: string;
  redirect_to: string;
}

const LINK_TYPES = ['signup', 'invite', 'magiclink', 'recovery', 'email_change_current', 'email_change_new'];

export async function generateLink(deps: AuthDeps, body: Body, queryRedirect: string | undefined): Promise<GeneratedLink> {
  const type = body['type'];
  if (typeof type !== 'string' || !LINK_TYPES.includes(type)) throw authErrors.validation('Invalid type');
  if (type.startsWith('email_change')) throw authErrors.validation('Email change links are not available yet');
  const email = normaliseEmail(body['email']);
  const redirectTo = typeof body['redirect_to'] === 'string' && body['redirect_to'] !== '' ? body['redirect_to'] : queryRedirect;
  const data = obj(body['data']);
  return deps.db.transaction(async (tx) => {
    const existing = await findUserByEmail(tx, email);
    let id: string;
    let purpose: Purpose;
    let verificationType = type;
    if (type === 'recovery' || (type === 'magiclink' && existing !== undefined)) {
      if (existing === undefined) throw new AuthError(404, 'user_not_found', 'User with this email not found');
      id = existing.id;
      purpose = 'recovery';
    } else if (type === 'invite') {
      id = await invitedUser(tx, email, data);
      purpose = 'confirmation';
    } else {
      // signup, or a magic link for someone not signed up yet (which becomes a sign-up)
      if (existing?.confirmed === true) throw authErrors.emailExists();
      const given = body['password'];
      if (type === 'signup' && (typeof given !== 'string' || given === '')) throw authErrors.validation('Signup requires a valid password');
      const password = typeof given === 'string' && given !== '' ? checkPassword(given, passwordPolicy(deps.config)) : randomBytes(48).toString('base64url');
      id = existing?.id ?? (await createUser(tx, { email, passwordHash: await hashPassword(tx, password), data, confirmed: false, anonymous: false }));
      purpose = 'confirmation';
      verificationType = 'signup';
    }
    const { otp, hash } = await storeCode(tx, id, email, purpose);
    const { link, redirect } = verifyUrl(deps, hash, verificationType, redirectTo);
    const user = (await userJson(tx, id)) as UserJson;
    return { ...user, action_link: link, email_otp: otp, hashed_token: hash, verification_type: verificationType, redirect_to: redirect };
  });
}
