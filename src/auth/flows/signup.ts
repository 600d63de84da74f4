// POST /signup: anonymous (no email or phone), by email and password, or by phone
// (flows/phone.ts). With confirmations on, the answer is the user and a confirmation email;
// a repeated sign-up answers like a new one, revealing nothing about the account.
import { authErrors } from '../errors.ts';
import { parsePkce } from '../codes/pkce.ts';
import { createUser, findUserByEmail, hashPassword, userJson, retryingEmailRace } from '../store/users.ts';
import type { AuthDeps, Body, SessionResponse, UserJson } from '../types.ts';
import { asObject, checkMetadataSize, checkPassword, normaliseEmail, passwordPolicy, present } from '../validate.ts';
import { checkFrequency, issueCode } from './email-codes.ts';
import { lookalikeUser } from './lookalike.ts';
import { phoneSignup } from './phone.ts';
import { session } from './session.ts';

export async function signup(deps: AuthDeps, body: Body, redirectTo?: string): Promise<SessionResponse | UserJson> {
  const data = asObject(body['data']) ?? {};
  // With the app_metadata a new user gets (at most this size), as every token will carry both.
  checkMetadataSize(data, { provider: 'email', providers: ['email'] });
  if (!present(body['email']) && !present(body['phone'])) {
    if (!deps.config.anonymousSignIns) throw authErrors.anonymousDisabled();
    if (deps.config.disableSignup) throw authErrors.signupDisabled();
    return deps.db.transaction(async (tx) => {
      const id = await createUser(tx, { email: null, passwordHash: null, data, confirmed: false, anonymous: true });
      return session(deps, tx, id, 'anonymous');
    });
  }
  if (deps.config.disableSignup) throw authErrors.signupDisabled();
  if (present(body['phone'])) return phoneSignup(deps, body);
  const password = checkPassword(body['password'], passwordPolicy(deps.config));
  const email = normaliseEmail(body['email']);
  const pkce = parsePkce(body);
  return retryingEmailRace(() =>
    deps.db.transaction(async (tx) => {
      const existing = await findUserByEmail(tx, email);
      if (existing !== undefined) {
        // Only this channel's setting: email confirmations on must not reveal taken addresses.
        if (existing.confirmed && deps.config.autoconfirm) throw authErrors.userAlreadyExists();
        // Unconfirmed: the confirmation is sent again (the user row is left as it was).
        if (!existing.confirmed) {
          await checkFrequency(tx, existing.id, 'confirmation');
          await issueCode(tx, deps, existing.id, email, 'confirmation', 'confirmation', 'signup', redirectTo, pkce);
        }
        // Unconfirmed, or confirmations on: answer like a new sign-up, revealing nothing.
        return lookalikeUser('email', email, data);
      }
      const hash = await hashPassword(tx, password);
      const id = await createUser(tx, { email, passwordHash: hash, data, confirmed: deps.config.autoconfirm, anonymous: false });
      if (!deps.config.autoconfirm) {
        await issueCode(tx, deps, id, email, 'confirmation', 'confirmation', 'signup', redirectTo, pkce);
        return (await userJson(tx, id)) as UserJson;
      }
      return session(deps, tx, id, 'password');
    }),
  );
}
