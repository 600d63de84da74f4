// The admin API's users (`supabase.auth.admin.*`, for service_role callers: requireAdmin in
// caller.ts): created confirmed or not, listed a page at a time, updated (email, phone,
// password, metadata, bans) and deleted hard or soft, as Supabase Auth does.
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../db/port.ts';
import { authErrors } from '../errors.ts';
import { confirmEmailNow, confirmPhoneNow, deleteUser, dropEmailVerified, pageOfUsers, setBan, setEmail, softDeleteUser } from '../store/admin.ts';
import { confirmPhone, createPhoneUser, phoneTaken, setPhone } from '../store/phones.ts';
import { endSessions } from '../store/sessions.ts';
import { createUser, findUserByEmail, hashPassword, mergeMetadata, setPasswordHash, userJson, retryingEmailRace } from '../store/users.ts';
import type { AuthDeps, Body, UserJson } from '../types.ts';
import { asObject, checkMetadataSize, checkPassword, isUuid, normaliseEmail, normalisePhone, passwordPolicy } from '../validate.ts';

const BAN_MAX_SECONDS = 100 * 365 * 24 * 3600;

/** A Go duration ("24h", "1h30m", "90s") in seconds; "none" is null (unban). */
export function parseBanDuration(text: unknown): number | null {
  if (text === 'none') return null;
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  const parts = typeof text === 'string' ? [...text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)] : [];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) throw authErrors.validation('invalid format for ban duration');
  const seconds = parts.reduce((sum, p) => sum + Number(p[1]) * (units[p[2] as string] as number), 0);
  // Bounded, so now() + the duration stays a timestamp PostgreSQL can hold.
  if (!(seconds <= BAN_MAX_SECONDS)) throw authErrors.validation(`ban duration must be at most ${BAN_MAX_SECONDS / 3600}h (100 years)`);
  return seconds;
}

async function applyBan(tx: Queryable, id: string, ban: unknown): Promise<void> {
  if (ban === undefined || ban === null) return;
  await setBan(tx, id, parseBanDuration(ban));
}

export async function adminCreateUser(deps: AuthDeps, body: Body): Promise<UserJson> {
  const hasEmail = typeof body['email'] === 'string' && body['email'] !== '';
  const hasPhone = typeof body['phone'] === 'string' && body['phone'] !== '';
  if (!hasEmail && !hasPhone) throw authErrors.validation('Cannot create a user without either an email or phone');
  const email = hasEmail ? normaliseEmail(body['email']) : undefined;
  const phone = hasPhone ? normalisePhone(body['phone']) : undefined;
  const given = body['password'];
  if (typeof given === 'string' && Buffer.byteLength(given) > 72) throw authErrors.validation('Password cannot be longer than 72 characters');
  // Without a password the user gets an unguessable one (they can still recover or use links).
  const password = typeof given === 'string' && given !== '' ? given : randomBytes(48).toString('base64url');
  return retryingEmailRace(() =>
    deps.db.transaction(async (tx) => {
      if (email !== undefined && (await findUserByEmail(tx, email)) !== undefined) throw authErrors.emailExists();
      if (phone !== undefined && (await phoneTaken(tx, phone))) throw authErrors.adminPhoneExists();
      const data = asObject(body['user_metadata']) ?? {};
      const passwordHash = await hashPassword(tx, password);
      const id =
        email !== undefined
          ? await createUser(tx, { email, passwordHash, data, confirmed: body['email_confirm'] === true, anonymous: false })
          : await createPhoneUser(tx, { phone: phone as string, passwordHash, data, confirmed: false });
      if (email !== undefined && phone !== undefined) await setPhone(tx, id, phone, false);
      if (phone !== undefined && body['phone_confirm'] === true) await confirmPhone(tx, id);
      const app = asObject(body['app_metadata']);
      if (app !== undefined) await mergeMetadata(tx, id, 'app', app);
      if (body['email_confirm'] !== true) await dropEmailVerified(tx, id);
      await applyBan(tx, id, body['ban_duration']);
      return withTokenSizedMetadata((await userJson(tx, id)) as UserJson);
    }),
  );
}

/** The user, once its metadata (as written, merged) is known to fit in an access token; else refused, rolled back. */
function withTokenSizedMetadata(user: UserJson): UserJson {
  checkMetadataSize(user['user_metadata'], user['app_metadata']);
  return user;
}

export async function adminGetUser(deps: AuthDeps, id: string): Promise<UserJson> {
  if (!isUuid(id)) throw authErrors.badUserId();
  const user = await deps.db.transaction((tx) => userJson(tx, id));
  if (user === undefined) throw authErrors.adminUserNotFound();
  return user;
}

export async function adminUpdateUser(deps: AuthDeps, id: string, body: Body): Promise<UserJson> {
  if (!isUuid(id)) throw authErrors.badUserId();
  return deps.db.transaction(async (tx) => {
    if ((await userJson(tx, id)) === undefined) throw authErrors.adminUserNotFound();
    if (typeof body['email'] === 'string' && body['email'] !== '') {
      await setEmail(tx, id, normaliseEmail(body['email']));
    }
    if (body['email_confirm'] === true) await confirmEmailNow(tx, id);
    if (typeof body['phone'] === 'string' && body['phone'] !== '') {
      const phone = normalisePhone(body['phone']);
      // Supabase Auth leaves a taken number to the unique index (a 500); a 422 says what is wrong.
      if (await phoneTaken(tx, phone, id)) throw authErrors.adminPhoneExists();
      await setPhone(tx, id, phone, false);
    }
    if (body['phone_confirm'] === true) await confirmPhoneNow(tx, id);
    if (typeof body['password'] === 'string' && body['password'] !== '') {
      const password = checkPassword(body['password'], passwordPolicy(deps.config));
      await setPasswordHash(tx, id, await hashPassword(tx, password));
      await endSessions(tx, id, undefined, 'global');
    }
    const userMeta = asObject(body['user_metadata']);
    if (userMeta !== undefined) await mergeMetadata(tx, id, 'user', userMeta);
    const appMeta = asObject(body['app_metadata']);
    if (appMeta !== undefined) await mergeMetadata(tx, id, 'app', appMeta);
    await applyBan(tx, id, body['ban_duration']);
    const user = (await userJson(tx, id)) as UserJson;
    return userMeta === undefined && appMeta === undefined ? user : withTokenSizedMetadata(user);
  });
}

export async function adminDeleteUser(deps: AuthDeps, id: string, soft: boolean): Promise<Record<string, never>> {
  if (!isUuid(id)) throw authErrors.badUserId();
  await deps.db.transaction(async (tx) => {
    if ((await userJson(tx, id)) === undefined) throw authErrors.adminUserNotFound();
    if (soft) await softDeleteUser(tx, id);
    else await deleteUser(tx, id);
  });
  return {};
}

export interface UserPage {
  readonly users: UserJson[];
  readonly total: number;
  readonly page: number;
  readonly perPage: number;
}

const PAGE_PARAM_MAX = 1_000_000_000;

function pageParam(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value)) throw authErrors.badPagination(`strconv.ParseUint: parsing "${value}": invalid syntax (${name})`);
  // Bounded, so the offset (page - 1) * per_page stays an exact integer well inside bigint.
  if (Number(value) > PAGE_PARAM_MAX) throw authErrors.badPagination(`${name} must be at most ${PAGE_PARAM_MAX}`);
  return Number(value);
}

export async function adminListUsers(deps: AuthDeps, query: Record<string, string | undefined>): Promise<UserPage> {
  const page = Math.max(pageParam(query['page'], 1, 'page'), 1);
  const perPage = Math.max(pageParam(query['per_page'], 50, 'per_page'), 1);
  return deps.db.transaction(async (tx) => {
    const { ids, total } = await pageOfUsers(tx, page, perPage);
    const users: UserJson[] = [];
    for (const id of ids) users.push((await userJson(tx, id)) as UserJson);
    return { users, total, page, perPage };
  });
}

/** GoTrue's Link header: `page` first (auth-js reads it positionally), rel double-quoted. */
export function paginationLink(path: string, p: UserPage): string {
  const last = Math.max(Math.ceil(p.total / p.perPage), 0);
  const link = (n: number, rel: string) => `<${path}?page=${n}&per_page=${p.perPage}>; rel="${rel}"`;
  return [...(p.page < last ? [link(p.page + 1, 'next')] : []), link(last, 'last')].join(', ');
}
