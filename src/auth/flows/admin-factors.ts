// The admin's view of a user's MFA factors (`supabase.auth.admin.mfa.*`): list, rename,
// delete. The user must exist, checked first in its own transaction, as Supabase Auth does.
import { removeFactor, renameFactor, factorsOf, type FactorJson } from '../store/factors.ts';
import type { AuthDeps, Body } from '../types.ts';
import { adminGetUser } from './admin-users.ts';
import { factorIdOf, factorOf, optionalText } from './mfa.ts';

export async function adminListFactors(deps: AuthDeps, userId: string): Promise<FactorJson[]> {
  await adminGetUser(deps, userId);
  return deps.db.transaction((tx) => factorsOf(tx, userId));
}

/** The admin's target factor, once the user is known to exist. */
async function adminFactorId(deps: AuthDeps, userId: string, id: string): Promise<string> {
  await adminGetUser(deps, userId);
  return factorIdOf(id);
}

export async function adminDeleteFactor(deps: AuthDeps, userId: string, id: string): Promise<FactorJson> {
  const factorId = await adminFactorId(deps, userId, id);
  return deps.db.transaction(async (tx) => {
    const factor = await factorOf(tx, { userId, sessionId: undefined }, factorId);
    await removeFactor(tx, factor.id);
    return factor.json;
  });
}

export async function adminUpdateFactor(deps: AuthDeps, userId: string, id: string, body: Body): Promise<FactorJson> {
  const name = optionalText(body['friendly_name'], 'friendly_name');
  const factorId = await adminFactorId(deps, userId, id);
  return deps.db.transaction(async (tx) => {
    const factor = await factorOf(tx, { userId, sessionId: undefined }, factorId);
    if (name === undefined) return factor.json;
    await renameFactor(tx, factor.id, name);
    return (await factorOf(tx, { userId, sessionId: undefined }, factorId)).json;
  });
}
