// Start-up in order: secret and keys → each module's settings (files they name are read
// here) → HTTP with every module's routes, built while the database opens (on PGlite most of
// a start), with late views of the database and schema cache → the schema-cache snapshot
// read ahead → admin connection → bootstrap → the login roles' connections and a first
// schema-cache load (not on a new database) → migrations (and seed on a new database; the
// cache is loaded again when they changed it) → the late views bound → listen → every
// module's workers. Each step fails with a clear error and undoes the ones before it.
// `close()` is the graceful shutdown.
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ConfigError, type Config } from '../config/load.ts';
import { bootstrap, type BootstrapResult } from '../bootstrap/run.ts';
import { DbError } from '../db/errors.ts';
import { openDatabase, openLogins, type Databases } from '../db/open.ts';
import type { Database } from '../db/port.ts';
import type { ModuleContext } from '../http/module.ts';
import type { ApiKeys } from '../keys/api-keys.ts';
import type { TokenVerifier } from '../keys/verify-token.ts';
import type { Progress } from '../lib/progress.ts';
import { migrateUp, runSeed } from '../migrations/runner.ts';
import type { Observer } from '../observe/events.ts';
import { observationHub } from '../observe/hub.ts';
import type { Tracing } from '../observe/tracing/setup.ts';
import { readKeptCache, SchemaCacheStore } from '../schema-cache/store.ts';
import type { DbPort } from './db-port.ts';
import { lateDatabase, lateSchema } from './late.ts';
import { readKeySet, resolveJwtSecret } from './secrets.ts';

/** The schema cache's snapshot in the data directory (src/schema-cache/snapshot.ts). */
const SCHEMA_SNAPSHOT_FILE = 'schema-cache.json';

export interface Groundwork {
  readonly url: string;
  readonly port: number;
  /** The embedded database's PostgreSQL port (`postgresql://postgres:…`); undefined when off and in server mode. */
  readonly dbUrl: string | undefined;
  readonly keys: ApiKeys;
  readonly jwtSecret: string;
  /** The admin connection and the login roles' (requests use `api`, Auth `auth`). */
  readonly db: Databases;
  readonly schema: SchemaCacheStore;
  readonly http: FastifyInstance;
  readonly verifyToken: TokenVerifier;
  readonly bootstrap: BootstrapResult;
  /** Stops accepting, finishes in-flight requests, stops the workers, then closes the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  readonly observe: Observer;
  readonly progress: Progress;
  /** The admin connection, when the caller began opening it already (the CLI, embedded); else opened here. */
  readonly admin?: Promise<Database>;
  /** Called after every module's routes are registered, before listening (tests). */
  readonly register?: (app: FastifyInstance, gw: Omit<Groundwork, 'close' | 'url' | 'port' | 'dbUrl'>) => void | Promise<void>;
}

/** The URL clients use for a listening address (the wildcard address is reached on loopback). */
function urlOf(host: string, port: number): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return `http://${h === '0.0.0.0' ? '127.0.0.1' : h}:${port}`;
}

/** Bootstrap, with a hint when the server role may not do it. */
async function bootstrapWith(admin: Database, config: Config): Promise<BootstrapResult> {
  try {
    return await bootstrap(admin);
  } catch (e) {
    if (!(e instanceof DbError) || e.sqlstate !== '42501' || config.database.mode !== 'server' || config.database.adminUrl !== config.database.url) throw e;
    throw new ConfigError('DATABASE_URL', `names a role that cannot bootstrap the database (${e.message}); set GROUNDWORK_ADMIN_DATABASE_URL to a role that may create schemas and roles`);
  }
}

/** What serving needs beyond the database (Fastify, the API modules, token signing): most of the start's module loading. */
function importServing() {
  return Promise.all([import('../http/server.ts'), import('./modules.ts'), import('./workers.ts'), import('../keys/api-keys.ts'), import('../keys/verify-token.ts')]);
}

export async function startGroundwork(config: Config, options: StartOptions): Promise<Groundwork> {
  const started = performance.now();
  const { progress } = options;
  // The caller's observer (the JSON log) first, then the sinks modules subscribe.
  const hub = observationHub(options.observe);
  const { observe } = hub;
  const jwtSecret = resolveJwtSecret(config);
  const keySet = readKeySet(config);
  const serving = importServing();
  serving.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile
  // Embedded only (a server-mode start does not load the port's code), loaded meanwhile too.
  const portCode = config.database.mode === 'embedded' ? import('./db-port.ts') : undefined;
  portCode?.catch(() => undefined);
  observe({ type: 'starting', mode: config.database.mode, dataDir: config.dataDir });
  const opened = options.admin ?? openDatabase(config, observe);
  opened.catch(() => undefined); // awaited once the HTTP half is built, or before closing on a failure
  let admin: Database | undefined;
  let db: Databases | undefined;
  let schema: SchemaCacheStore | undefined;
  let http: FastifyInstance | undefined;
  let opening: Promise<unknown> | undefined;
  let dbPort: DbPort | undefined;
  let tracing: Tracing | undefined;
  try {
    // The HTTP half is built while the database opens (on PGlite most of a start). Its routes
    // reach the database and the schema cache through late views, bound before listening.
    const [{ buildHttpServer }, { modules }, { startWorkers }, { deriveApiKeys }, { createTokenVerifier }] = await serving;
    // Before migrations, so a bad setting (an email template) stops the start before they run.
    const loaded = modules.map((module) => ({ module, settings: module.settings(config) }));
    const apiKeys = await deriveApiKeys(jwtSecret);
    const verifyToken = createTokenVerifier(jwtSecret, keySet, { audience: config.jwtAud });
    const late = { api: lateDatabase(config.database.mode), auth: lateDatabase(config.database.mode), admin: lateDatabase(config.database.mode) };
    const lateCache = lateSchema();
    // Tracing's code is loaded only when an endpoint is configured (src/observe/tracing/).
    if (config.observe.tracing !== undefined) tracing = (await import('../observe/tracing/setup.ts')).startTracing(config.observe.tracing);
    const server = buildHttpServer({
      bodyLimit: config.bodyLimit,
      timeouts: { headersMs: config.headersTimeoutMs, requestMs: config.requestTimeoutMs },
      db: late.api,
      schema: lateCache,
      observe,
      tracing: tracing?.http,
    });
    http = server;
    // Until the server listens (PORT=0 picks the port), the configured address.
    let externalUrl = urlOf(config.host, config.port);
    let dbUrl = config.database.mode === 'server' ? config.database.adminUrl : undefined;
    const shared: Omit<ModuleContext<unknown>, 'settings'> = { config, db: late, schema: lateCache, jwtSecret, keySet, apiKeys, verifyToken, observe, subscribe: hub.subscribe, externalUrl: () => externalUrl, dbUrl: () => dbUrl };
    const contexts = loaded.map(({ module, settings }) => ({ module, ctx: { ...shared, settings } }));
    for (const { module, ctx } of contexts) await module.register(server, ctx);

    // Read and built while the database opens; its key is checked once the database is up.
    const snapshotPath = join(config.dataDir, SCHEMA_SNAPSHOT_FILE);
    const snapshot = { path: snapshotPath, kept: readKeptCache(snapshotPath) };
    admin = await opened;
    const t0 = performance.now();
    const boot = await bootstrapWith(admin, config);
    observe({ type: 'bootstrap', from: boot.from, to: boot.to, ms: Math.round(performance.now() - t0) });
    // The login roles exist once bootstrapped: their handshakes and a first schema-cache load
    // run beside the migrations' check. Like PostgREST, the cache is read (and reloads are
    // heard) as the API's login role. A database bootstrapped just now gets its migrations
    // next, which would make that first read a wasted one.
    const ready = openLogins(config, admin, jwtSecret, observe).then(async (dbs) => {
      db = dbs;
      return { dbs, early: boot.fresh ? undefined : await SchemaCacheStore.open(dbs.api, observe, 'start', snapshot) };
    });
    opening = ready;
    ready.catch(() => undefined); // awaited below, or before closing on a failure
    let migrated = false;
    if (config.autoMigrate) {
      const { applied, firstRun } = await migrateUp(admin, config.projectDir, progress);
      if (firstRun) await runSeed(admin, config.projectDir, progress);
      migrated = applied.length > 0;
    }
    const { dbs, early } = await ready;
    // A first read made before these migrations is read again.
    const store = early !== undefined && !migrated ? early : await SchemaCacheStore.open(dbs.api, observe, early === undefined ? 'start' : 'migrations', snapshot);
    schema = store;
    late.api.bind(tracing?.database(dbs.api, 'api') ?? dbs.api);
    late.auth.bind(tracing?.database(dbs.auth, 'auth') ?? dbs.auth);
    late.admin.bind(tracing?.database(dbs.admin, 'admin') ?? dbs.admin);
    lateCache.bind(store);
    // Its own connection's handshake overlaps what is left; awaited before listening.
    const watching = store.watch();
    watching.catch(() => undefined);
    await options.register?.(server, { keys: apiKeys, jwtSecret, db: dbs, schema: store, http: server, verifyToken, bootstrap: boot });
    await watching;
    if (portCode !== undefined) dbPort = await (await portCode).startDbPort(config, dbs.admin, observe);
    dbUrl ??= dbPort?.url;
    await server.listen({ host: config.host, port: config.port });
    const address = server.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    const url = urlOf(config.host, port);
    externalUrl = url;
    const workers = await startWorkers(
      contexts.flatMap(({ module, ctx }) => module.workers?.(ctx) ?? []),
      observe,
    );
    observe({ type: 'listening', url, ms: Math.round(performance.now() - started) });
    let closing: Promise<void> | undefined;
    return {
      url,
      port,
      dbUrl: dbPort?.url,
      keys: apiKeys,
      jwtSecret,
      db: dbs,
      schema: store,
      http: server,
      verifyToken,
      bootstrap: boot,
      close: () =>
        (closing ??= (async () => {
          // Its clients' turns end (rolled back) before requests drain and the database closes.
          await dbPort?.close();
          await server.close();
          // After the requests (which may queue work for them), before the database they need.
          await workers.stop();
          await store.stop();
          await dbs.close();
          await tracing?.shutdown();
        })()),
    };
  } catch (e) {
    await dbPort?.close().catch(() => undefined);
    await opening?.catch(() => undefined); // so the connections it opened are closed below
    await http?.close().catch(() => undefined);
    await schema?.stop().catch(() => undefined);
    await (db ?? admin ?? (await opened.catch(() => undefined)))?.close().catch(() => undefined);
    await tracing?.shutdown();
    throw e;
  }
}
