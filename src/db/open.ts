// Opens the connections the configuration asks for. `openDatabase` is the admin connection:
// bootstrap, migrations, the CLI. Once the bootstrap has made the login roles,
// `openLogins` adds one connection per role a running server uses: `api` logs in as
// `authenticator` (requests switch to the caller's role from there), `auth` as
// `supabase_auth_admin`. On the embedded database these are views of its one session.
import type { Config } from '../config/load.ts';
import type { Observer } from '../observe/events.ts';
import { loginView } from './login-view.ts';
import { API_LOGIN, AUTH_LOGIN, loginUrl, openLogin } from './logins.ts';
import { openEmbedded } from './open-embedded.ts';
import type { Database } from './port.ts';
import { openServerDatabase } from './server/adapter.ts';

/**
 * The admin connection: bootstrap, migrations, and the jobs family's background work (its
 * deliveries are recorded and its cron jobs run here), so a few connections; none is held
 * while idle.
 */
const ADMIN_POOL_SIZE = 6;
const REQUEST_CONNECT_TIMEOUT_S = 3;

export async function openDatabase(config: Pick<Config, 'database' | 'dataDir' | 'embedded'>, observe: Observer): Promise<Database> {
  if (config.database.mode === 'embedded') return openEmbedded(config, observe);
  return openServerDatabase({
    url: config.database.adminUrl,
    poolSize: ADMIN_POOL_SIZE,
    connectTimeoutSeconds: 10,
    applicationName: 'groundwork admin',
    onNotice: (message) => observe({ type: 'db-notice', message }),
  });
}

/** A running server's connections, each logging in as its own role. */
export interface Databases {
  /** Bootstrap and migrations; tests. Requests never use it. */
  readonly admin: Database;
  /** API requests, as `authenticator`. */
  readonly api: Database;
  /** Auth's tables, as `supabase_auth_admin`. */
  readonly auth: Database;
  /** Closes the role connections, then the admin one. */
  close(): Promise<void>;
}

/** After the bootstrap: the request and Auth connections beside `admin`. */
export async function openLogins(config: Pick<Config, 'database' | 'dbPoolSize'>, admin: Database, jwtSecret: string, observe: Observer): Promise<Databases> {
  const { database } = config;
  if (database.mode === 'embedded') {
    return { admin, api: loginView(admin, API_LOGIN), auth: loginView(admin, AUTH_LOGIN), close: () => admin.close() };
  }
  const open = (role: string) => {
    const { url, password } = loginUrl(database.url, role, jwtSecret);
    const login = () =>
      openServerDatabase({
        url,
        poolSize: config.dbPoolSize,
        // A request waits at most this long for a connection that cannot be made (a server
        // shutting down holds new connections in its backlog): then 503, not a hang.
        connectTimeoutSeconds: REQUEST_CONNECT_TIMEOUT_S,
        applicationName: `groundwork ${role === API_LOGIN ? 'api' : 'auth'}`,
        onNotice: (message) => observe({ type: 'db-notice', message }),
        onReachability: (down) => observe({ type: 'db-reachability', pool: role === API_LOGIN ? 'api' : 'auth', down }),
      });
    return openLogin(admin, role, password, login, () => observe({ type: 'db-login-password-set', role }));
  };
  // Both at once: each is a connection handshake (and maybe a password to set) at start-up.
  const [api, auth] = await Promise.allSettled([open(API_LOGIN), open(AUTH_LOGIN)]);
  if (api.status === 'rejected' || auth.status === 'rejected') {
    for (const r of [api, auth]) if (r.status === 'fulfilled') await r.value.close();
    throw api.status === 'rejected' ? api.reason : (auth as PromiseRejectedResult).reason;
  }
  return {
    admin,
    api: api.value,
    auth: auth.value,
    close: async () => {
      await api.value.close();
      await auth.value.close();
      await admin.close();
    },
  };
}

/** The URL with its password hidden, for banners and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '*****';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}
