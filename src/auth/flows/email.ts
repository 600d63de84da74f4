// Flows that send an email with a code: password recovery, magic links and email codes
// (POST /otp, signing the user up first when allowed), and resending a sign-up confirmation.
// Checking the codes is verify.ts. The phone variants of /otp and /resend are phone.ts.
import { randomBytes } from 'node:crypto';
import { authErrors } from '../errors.ts';
import { parsePkce } from '../codes/pkce.ts';
import { createUser, findUserByEmail, hashPassword, retryingEmailRace } from '../store/users.ts';
import type { AuthDeps, Body } from '../types.ts';
import { asObject, normaliseEmail } from '../validate.ts';
import { checkFrequency, issueCode } from './email-codes.ts';
import { phoneOtp, phoneResend } from './phone.ts';

export async function recover(deps: AuthDeps, body: Body, redirectTo: string | undefined): Promise<Record<string, never>> {
  const email = normaliseEmail(body['email']);
  const pkce = parsePkce(body);
  await deps.db.transaction(async (tx) => {
    const user = await findUserByEmail(tx, email);
    if (user === undefined) return; // same answer either way: no enumeration
    await checkFrequency(tx, user.id, 'recovery');
    await issueCode(tx, deps, user.id, email, 'recovery', 'recovery', 'recovery', redirectTo, pkce);
  });
  return {};
}

/** Magic link / email code: signs the user up first when allowed and needed. */
export async function otp(deps: AuthDeps, body: Body, redirectTo: string | undefined): Promise<Record<string, string>> {
  if (body['phone'] !== undefined && body['phone'] !== null && body['phone'] !== '') return phoneOtp(deps, body);
  if (body['email'] === undefined || body['email'] === null) throw authErrors.validation('One of email or phone must be set');
  const createUserAllowed = body['create_user'] !== false;
  const pkce = parsePkce(body);
  const email = createUserAllowed ? normaliseEmail(body['email']) : String(body['email']).toLowerCase();
  await retryingEmailRace(() =>
    deps.db.transaction(async (tx) => {
      let user = await findUserByEmail(tx, email);
      let created = false;
      if (user === undefined) {
        if (!createUserAllowed) throw authErrors.otpDisabled();
        if (deps.config.disableSignup) throw authErrors.signupDisabled();
        const data = asObject(body['data']) ?? {};
        const id = await createUser(tx, { email, passwordHash: await hashPassword(tx, randomBytes(24).toString('base64url')), data, confirmed: deps.config.autoconfirm, anonymous: false });
        user = { id, encrypted_password: null, confirmed: deps.config.autoconfirm, banned: false };
        created = true;
      }
      if (!user.confirmed) {
        // The sign-up confirmation doubles as the magic link.
        if (!created) await checkFrequency(tx, user.id, 'confirmation');
        await issueCode(tx, deps, user.id, email, 'confirmation', 'confirmation', 'signup', redirectTo, pkce);
        return;
      }
      await checkFrequency(tx, user.id, 'recovery');
      await issueCode(tx, deps, user.id, email, 'recovery', 'magic_link', 'magiclink', redirectTo, pkce);
    }),
  );
  return {};
}

export async function resend(deps: AuthDeps, body: Body, redirectTo: string | undefined): Promise<Record<string, string>> {
  const type = body['type'];
  if (type !== 'signup' && type !== 'email_change' && type !== 'sms' && type !== 'phone_change') throw authErrors.validation('Missing one of these types: signup, email_change, sms, phone_change');
  if (type === 'sms' || type === 'phone_change') return phoneResend(deps, body, type);
  if (type !== 'signup') throw authErrors.validation(`Resending ${type} is not available yet`);
  const email = normaliseEmail(body['email']);
  const pkce = parsePkce(body);
  await deps.db.transaction(async (tx) => {
    const user = await findUserByEmail(tx, email);
    if (user === undefined || user.confirmed) return;
    await checkFrequency(tx, user.id, 'confirmation');
    await issueCode(tx, deps, user.id, email, 'confirmation', 'confirmation', 'signup', redirectTo, pkce);
  });
  return {};
}
