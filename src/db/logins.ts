// The roles a running server logs in as, on server PostgreSQL: `authenticator` for API
// requests (it holds no privileges of its own and becomes the caller's role per request)
// and `supabase_auth_admin` for Auth's own tables. The bootstrap creates both; their
// passwords are derived from the JWT secret, which every node shares, so no node has to
// store one, unless DATABASE_URL logs in as the role itself (then its password is used).
// A login that is refused gets its password set through the admin connection, once.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { quoteIdent, quoteLiteral, sql } from '../lib/sql.ts';
import { DbError } from './errors.ts';
import type { Database } from './port.ts';

// Arbitrary constant: nodes starting together set a password one at a time.
const LOGIN_LOCK = 7_270_002;

export const API_LOGIN = 'authenticator';
export const AUTH_LOGIN = 'supabase_auth_admin';

/** The password a node uses for `role` when DATABASE_URL does not give one. */
export function derivedPassword(jwtSecret: string, role: string): string {
  return createHmac('sha256', jwtSecret).update(`groundwork database login: ${role}`).digest('base64url');
}

/** DATABASE_URL's server and database, logging in as `role`. */
export function loginUrl(databaseUrl: string, role: string, jwtSecret: string): { url: string; password: string } {
  const u = new URL(databaseUrl);
  const given = decodeURIComponent(u.username) === role ? decodeURIComponent(u.password) : '';
  const password = given !== '' ? given : derivedPassword(jwtSecret, role);
  u.username = encodeURIComponent(role);
  u.password = encodeURIComponent(password);
  return { url: u.toString(), password };
}

/**
 * A SCRAM-SHA-256 verifier, as PostgreSQL stores passwords (RFC 5802/7677): the server keeps
 * it as given, so the password itself never appears in a statement or a server log.
 */
export function scramVerifier(password: string, salt: Buffer = randomBytes(16), iterations = 4096): string {
  // PostgreSQL's SASLprep, reduced to NFKC: exact for the ASCII passwords derivedPassword makes.
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** PostgreSQL refused the login itself: wrong password, no password set, or not allowed to log in. */
const loginRefused = (e: unknown): boolean => e instanceof DbError && (e.sqlstate === '28P01' || e.sqlstate === '28000');

/**
 * Opens `login` and checks it can log in; when PostgreSQL refuses it, the admin connection
 * sets the role's password (and LOGIN) and it is tried once more.
 */
export async function openLogin(admin: Database, role: string, password: string, login: () => Database, onPasswordSet: () => void): Promise<Database> {
  const db = login();
  try {
    await db.ping();
    return db;
  } catch (e) {
    if (!loginRefused(e)) {
      await db.close();
      throw e;
    }
  }
  // Another database's start may set the same role at the same moment (roles are
  // cluster-wide, advisory locks are not): its password is the same, so a failed ALTER only
  // matters if the login is still refused afterwards.
  const altered = await admin
    .transaction(async (tx) => {
      await tx.query(sql`select pg_advisory_xact_lock(${LOGIN_LOCK})`);
      await tx.script(`alter role ${quoteIdent(role)} with login password ${quoteLiteral(scramVerifier(password))}`);
    })
    .then(() => undefined, (e: unknown) => e);
  try {
    await db.ping();
  } catch (again) {
    await db.close();
    throw altered ?? again;
  }
  if (altered === undefined) onPasswordSet();
  return db;
}
