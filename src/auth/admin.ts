// The admin API (`supabase.auth.admin.*`): callers present a service_role (or
// supabase_admin) JWT. Users are created confirmed or not, listed a page at a time, updated
// (email, phone, password, metadata, bans) and deleted hard or soft, as Supabase Auth does.
import { randomBytes } from 'node:crypto';
import { sql } from '../lib/sql.ts';
import type { Queryable } from '../db/port.ts';
import { authErrors } from './errors.ts';
import { bearerClaims, type AuthDeps } from './flows.ts';
import { createUser, endSessions, findUserByEmail, hashPassword, setIdentity, userJson, type UserJson } from './store.ts';
import { asObject, checkPassword, isUuid, normaliseEmail, normalisePhone, passwordPolicy } from './validate.ts';
import { confirmPhone, createPhoneUser, phoneTaken, setPhone } from './phone-store.ts';

type Body = Record<string, unknown>;

/** Only a service_role or supabase_admin token may use the admin API. */
export async function requireAdmin(deps: AuthDeps, authorization: string | undefined): Promise<void> {
  const role = (await bearerClaims(deps, authorization))['role'];
  if (role !== 'service_role' && role !== 'supabase_admin') throw authErrors.notAdmin();
}

/** A Go duration ("24h", "1h30m", "90s") in seconds; "none" is null (unban). */
export function parseBanDuration(text: unknown): number | null {
  if (text === 'none') return null;
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  const parts = typeof text === 'string' ? [...text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)] : [];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) throw authErrors.validation('invalid format for ban duration');
  return parts.reduce((sum, p) => sum + Number(p[1]) * (units[p[2] as string] as number), 0);
}

async function mergeMetadata(tx: Queryable, id: string, column: 'raw_user_meta_data' | 'raw_app_meta_data', data: Record<string, unknown>): Promise<void> {
  const col = column === 'raw_user_meta_data' ? sql`raw_user_meta_data` : sql`raw_app_meta_data`;
  await tx.query(sql`update auth.users set ${col} = (select coalesce(jsonb_object_agg(key, value), '{}') from jsonb_each(coalesce(${col}, '{}') || ${JSON.stringify(data)}::jsonb) where value <> 'null'::jsonb), updated_at = now() where id = ${id}::uuid`);
}

async function applyBan(tx: Queryable, id: string, ban: unknown): Promise<void> {
  if (ban === undefined || ban === null) return;
  const seconds = parseBanDuration(ban);
  await tx.query(sql`update auth.users set banned_until = case when ${seconds}::float8 is null then null else now() + make_interval(secs => ${seconds}::float8) end where id = ${id}::uuid`);
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
  return deps.db.transaction(async (tx) => {
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
    if (app !== undefined) await mergeMetadata(tx, id, 'raw_app_meta_data', app);
    if (body['email_confirm'] !== true) await tx.query(sql`update auth.users set raw_user_meta_data = raw_user_meta_data - 'email_verified' where id = ${id}::uuid`);
    await applyBan(tx, id, body['ban_duration']);
    return (await userJson(tx, id)) as UserJson;
  });
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
      const email = normaliseEmail(body['email']);
      await tx.query(sql`update auth.users set email = ${email}, updated_at = now() where id = ${id}::uuid`);
      await setIdentity(tx, id, 'email', { email }, { sub: id, email, email_verified: false, phone_verified: false });
    }
    if (body['email_confirm'] === true) await tx.query(sql`update auth.users set email_confirmed_at = coalesce(email_confirmed_at, now()) where id = ${id}::uuid`);
    if (typeof body['phone'] === 'string' && body['phone'] !== '') {
      const phone = normalisePhone(body['phone']);
      // Supabase Auth leaves a taken number to the unique index (a 500); a 422 says what is wrong.
      if (await phoneTaken(tx, phone, id)) throw authErrors.adminPhoneExists();
      await setPhone(tx, id, phone, false);
    }
    if (body['phone_confirm'] === true) await tx.query(sql`update auth.users set phone_confirmed_at = coalesce(phone_confirmed_at, now()) where id = ${id}::uuid and phone is not null`);
    if (typeof body['password'] === 'string' && body['password'] !== '') {
      const password = checkPassword(body['password'], passwordPolicy(deps.config));
      await tx.query(sql`update auth.users set encrypted_password = ${await hashPassword(tx, password)}, updated_at = now() where id = ${id}::uuid`);
      await endSessions(tx, id, undefined, 'global');
    }
    const userMeta = asObject(body['user_metadata']);
    if (userMeta !== undefined) await mergeMetadata(tx, id, 'raw_user_meta_data', userMeta);
    const appMeta = asObject(body['app_metadata']);
    if (appMeta !== undefined) await mergeMetadata(tx, id, 'raw_app_meta_data', appMeta);
    await applyBan(tx, id, body['ban_duration']);
    return (await userJson(tx, id)) as UserJson;
  });
}

export async function adminDeleteUser(deps: AuthDeps, id: string, soft: boolean): Promise<Record<string, never>> {
  if (!isUuid(id)) throw authErrors.badUserId();
  await deps.db.transaction(async (tx) => {
    if ((await userJson(tx, id)) === undefined) throw authErrors.adminUserNotFound();
    if (!soft) {
      await tx.query(sql`delete from auth.users where id = ${id}::uuid`);
      return;
    }
    // Soft delete: the row stays, but nothing in it can identify or authenticate anyone.
    await tx.query(sql`update auth.users set deleted_at = now(), email = md5(id::text || coalesce(email, '')), phone = null,
      encrypted_password = '', raw_user_meta_data = '{}', raw_app_meta_data = '{}', updated_at = now() where id = ${id}::uuid`);
    await tx.query(sql`update auth.identities set provider_id = md5(id::text || provider_id), identity_data = '{}' where user_id = ${id}::uuid`);
    await tx.query(sql`delete from auth.mfa_factors where user_id = ${id}::uuid`);
    await endSessions(tx, id, undefined, 'global');
  });
  return {};
}

export interface UserPage {
  readonly users: UserJson[];
  readonly total: number;
  readonly page: number;
  readonly perPage: number;
}

function pageParam(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value)) throw authErrors.badPagination(`strconv.ParseUint: parsing "${value}": invalid syntax (${name})`);
  return Number(value);
}

export async function adminListUsers(deps: AuthDeps, query: Record<string, string | undefined>): Promise<UserPage> {
  const page = Math.max(pageParam(query['page'], 1, 'page'), 1);
  const perPage = Math.max(pageParam(query['per_page'], 50, 'per_page'), 1);
  return deps.db.transaction(async (tx) => {
    const total = Number((await tx.query<{ n: string }>(sql`select count(*) as n from auth.users where deleted_at is null`)).rows[0]?.n ?? 0);
    const { rows } = await tx.query<{ id: string }>(sql`select id::text from auth.users where deleted_at is null order by created_at desc, id limit ${perPage} offset ${(page - 1) * perPage}`);
    const users: UserJson[] = [];
    for (const r of rows) users.push((await userJson(tx, r.id)) as UserJson);
    return { users, total, page, perPage };
  });
}

/** GoTrue's Link header: `page` first (auth-js reads it positionally), rel double-quoted. */
export function paginationLink(path: string, p: UserPage): string {
  const last = Math.max(Math.ceil(p.total / p.perPage), 0);
  const link = (n: number, rel: string) => `<${path}?page=${n}&per_page=${p.perPage}>; rel="${rel}"`;
  return [...(p.page < last ? [link(p.page + 1, 'next')] : []), link(last, 'last')].join(', ');
}
