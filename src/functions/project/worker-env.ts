// The environment a function sees (mcp-types-functions.md §C4): its secrets (the folder's
// `.env`, then those set with `groundwork secrets set`), and the variables Supabase always
// injects, which a secret cannot override. The runtime's own plumbing (Deno's cache, the npm
// registry) rides along.
export interface Injected {
  readonly url: string;
  readonly anonKey: string;
  readonly serviceRoleKey: string;
  readonly dbUrl: string | undefined;
}

export interface Runtime {
  readonly denoDir: string;
  readonly npmRegistry: string | undefined;
  readonly home: string | undefined;
  /** Proxy and certificate variables, as the server process has them. */
  readonly network: Readonly<Record<string, string>>;
}

/** Secret names Supabase refuses: its own prefix. */
export const RESERVED_PREFIX = 'SUPABASE_';

export function workerEnv(dotenv: Readonly<Record<string, string>>, secrets: Readonly<Record<string, string>>, injected: Injected, runtime: Runtime): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of [dotenv, secrets]) for (const [k, v] of Object.entries(source)) if (!k.startsWith(RESERVED_PREFIX)) env[k] = v;
  Object.assign(env, {
    SUPABASE_URL: injected.url,
    SUPABASE_PUBLIC_URL: injected.url,
    SUPABASE_ANON_KEY: injected.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: injected.serviceRoleKey,
    ...(injected.dbUrl === undefined ? {} : { SUPABASE_DB_URL: injected.dbUrl }),
    DENO_DIR: runtime.denoDir,
    DENO_NO_UPDATE_CHECK: '1',
    NO_COLOR: '1',
    ...(runtime.npmRegistry === undefined ? {} : { NPM_CONFIG_REGISTRY: runtime.npmRegistry }),
    ...(runtime.home === undefined ? {} : { HOME: runtime.home }),
    ...runtime.network,
  });
  return env;
}
