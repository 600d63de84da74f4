// Admin links: inviting a user by email (`POST /invite`) and making a verification link
// without sending it (`POST /admin/generate_link`), as Supabase Auth does. Both store codes
// exactly as the email flows do, so /verify treats the links alike.
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../db/port.ts';
import { authErrors } from '../errors.ts';
import { markInvited } from '../store/admin.ts';
import type { Purpose } from '../store/codes.ts';
import { createUser, findUserByEmail, hashPassword, userJson, retryingEmailRace } from '../store/users.ts';
import type { AuthDeps, Body, UserJson } from '../types.ts';
import { asObject, checkPassword, normaliseEmail, passwordPolicy } from '../validate.ts';
import { issueCode, storeCode, verifyUrl } from './email-codes.ts';
import { storeEmailChange } from './email-change.ts';

const obj = (v: unknown): Record<string, unknown> => asObject(v) ?? {};

/** An invited user: unconfirmed, no usable password until they accept. */
async function invitedUser(tx: Queryable, email: string, data: Record<string, unknown>): Promise<string> {
  const existing = await findUserByEmail(tx, email);
  if (existing?.confirmed === true) throw authErrors.emailExists();
  const id = existing?.id ?? (await createUser(tx, { email, passwordHash: await hashPassword(tx, randomBytes(48).toString('base64url')), data, confirmed: false, anonymous: false }));
  await markInvited(tx, id);
  return id;
}

export async function invite(deps: AuthDeps, body: Body, redirectTo: string | undefined): Promise<UserJson> {
  const email = normaliseEmail(body['email']);
  return retryingEmailRace(() =>
    deps.db.transaction(async (tx) => {
      const id = await invitedUser(tx, email, obj(body['data']));
      await issueCode(tx, deps, id, email, 'confirmation', 'invite', 'invite', redirectTo);
      return (await userJson(tx, id)) as UserJson;
    }),
  );
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
  const email = normaliseEmail(body['email']);
  const redirectTo = typeof body['redirect_to'] === 'string' && body['redirect_to'] !== '' ? body['redirect_to'] : queryRedirect;
  if (type === 'email_change_current' || type === 'email_change_new') return emailChangeLink(deps, type, email, body['new_email'], redirectTo);
  const data = obj(body['data']);
  return retryingEmailRace(() =>
    deps.db.transaction(async (tx) => {
      const existing = await findUserByEmail(tx, email);
      let id: string;
      let purpose: Purpose;
      let verificationType = type;
      if (type === 'recovery' || (type === 'magiclink' && existing !== undefined)) {
        if (existing === undefined) throw authErrors.userWithEmailNotFound();
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
    }),
  );
}

/** An email-change link for the current or the new address; both codes are (re)issued, as Supabase Auth does. */
async function emailChangeLink(deps: AuthDeps, type: 'email_change_current' | 'email_change_new', email: string, newEmail: unknown, redirectTo: string | undefined): Promise<GeneratedLink> {
  if (type === 'email_change_current' && !deps.config.secureEmailChange) throw authErrors.validation('Enable secure email change to generate link for current email');
  if (newEmail === undefined || newEmail === null || newEmail === '') throw authErrors.validation('The new_email address is required');
  const next = normaliseEmail(newEmail);
  return deps.db.transaction(async (tx) => {
    const existing = await findUserByEmail(tx, email);
    if (existing === undefined) throw authErrors.userWithEmailNotFound();
    const taken = await findUserByEmail(tx, next);
    if (taken !== undefined && taken.id !== existing.id) throw authErrors.emailExists();
    const codes = await storeEmailChange(tx, existing.id, email, next, deps.config.secureEmailChange);
    const chosen = type === 'email_change_current' ? (codes.current ?? codes.next) : codes.next;
    const { link, redirect } = verifyUrl(deps, chosen.hash, 'email_change', redirectTo);
    const user = (await userJson(tx, existing.id)) as UserJson;
    return { ...user, action_link: link, email_otp: chosen.otp, hashed_token: chosen.hash, verification_type: type, redirect_to: redirect };
  });
}
