// Start-up in order: secret → database → bootstrap → migrations (and seed on a new
// database) → schema cache → HTTP → mail sender (with SMTP configured) → SMS sender (with an
// SMS provider configured). Each step fails
// with a clear error and undoes the ones before it. `close()` is the graceful shutdown.
import type { FastifyInstance } from 'fastify';
import { ConfigError, type Config } from '../config/load.ts';
import { bootstrap, type BootstrapResult } from '../bootstrap/run.ts';
import { openDatabase } from '../db/open.ts';
import type { Database } from '../db/port.ts';
import { buildHttpServer } from '../http/server.ts';
import { registerRest } from '../rest/routes.ts';
import { registerAuth } from '../auth/http/routes.ts';
import { loadMailTemplates } from '../mail/load-templates.ts';
import { startMailSender, type MailSender } from '../mail/sender.ts';
import { smtpTransport } from '../mail/smtp.ts';
import { smsProvider, startSmsSender, type SmsSender } from '../sms/sender.ts';
import { deriveApiKeys, type ApiKeys } from '../keys/api-keys.ts';
import { readOrCreateJwtSecret } from '../keys/jwt-secret.ts';
import { createTokenVerifier, type TokenVerifier } from '../keys/verify-token.ts';
import { EMPTY_KEY_SET, keySetFrom, type KeySet } from '../keys/key-set.ts';
import { readFileSync } from 'node:fs';
import type { Progress } from '../lib/progress.ts';
import { migrateUp, runSeed } from '../migrations/runner.ts';
import type { Observer } from '../observe/events.ts';
import { SchemaCacheStore } from '../schema-cache/store.ts';

export interface Groundwork {
  readonly url: string;
  readonly port: number;
  readonly keys: ApiKeys;
  readonly jwtSecret: string;
  readonly db: Database;
  readonly schema: SchemaCacheStore;
  readonly http: FastifyInstance;
  readonly verifyToken: TokenVerifier;
  readonly bootstrap: BootstrapResult;
  /** Stops accepting, finishes in-flight requests, then closes the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  readonly observe: Observer;
  readonly progress: Progress;
  /** Called after the routes of the core are registered, before listening (API families, tests). */
  readonly register?: (app: FastifyInstance, gw: Omit<Groundwork, 'close' | 'url' | 'port'>) => void | Promise<void>;
}

export function resolveJwtSecret(config: Config): string {
  if (config.jwtSecret !== undefined) return config.jwtSecret;
  if (config.database.mode === 'server') throw new ConfigError('JWT_SECRET', 'is required when DATABASE_URL is set (every node must share it)');
  return readOrCreateJwtSecret(config.dataDir).secret;
}

/** The asymmetric signing keys, read once at start-up; a bad file stops the start. */
export function readKeySet(config: Config): KeySet {
  const path = config.auth.signingKeysPath;
  if (path === undefined) return EMPTY_KEY_SET;
  try {
    return keySetFrom(JSON.parse(readFileSync(path, 'utf8')));
  } catch (e) {
    throw new ConfigError('GROUNDWORK_AUTH_SIGNING_KEYS_PATH', `(${path}): ${e instanceof Error ? e.message : String(e)}`);
  }
}

export async function startGroundwork(config: Config, options: StartOptions): Promise<Groundwork> {
  const started = performance.now();
  const { observe, progress } = options;
  const jwtSecret = resolveJwtSecret(config);
  const keySet = readKeySet(config);
  const mailTemplates = loadMailTemplates({ templatesDir: config.auth.mailTemplatesDir, subjects: config.auth.mailSubjects });
  observe({ type: 'starting', mode: config.database.mode, dataDir: config.dataDir });
  const db = await openDatabase(config, observe);
  let schema: SchemaCacheStore | undefined;
  let http: FastifyInstance | undefined;
  let mail: MailSender | undefined;
  try {
    const t0 = performance.now();
    const boot = await bootstrap(db);
    observe({ type: 'bootstrap', from: boot.from, to: boot.to, ms: Math.round(performance.now() - t0) });
    if (config.autoMigrate) {
      const { firstRun } = await migrateUp(db, config.projectDir, progress);
      if (firstRun) await runSeed(db, config.projectDir, progress);
    }
    schema = await SchemaCacheStore.open(db, observe);
    await schema.watch();
    const keys = await deriveApiKeys(jwtSecret);
    const verifyToken = createTokenVerifier(jwtSecret, keySet);
    http = buildHttpServer({ bodyLimit: config.bodyLimit, db, schema, observe });
    registerRest(http, { db, schema, verify: verifyToken, config: config.rest });
    let externalUrl = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
    const provider = config.sms === undefined ? undefined : smsProvider(config.sms);
    registerAuth(http, {
      db,
      config: config.auth,
      tokens: { secret: jwtSecret, expiry: config.auth.jwtExpiry, issuer: `${externalUrl}/auth/v1`, keySet },
      verify: verifyToken,
      observe,
      externalUrl: () => externalUrl,
      mailTemplates,
      smsProvider: provider?.name,
      mailDelivered: config.smtp !== undefined,
    });
    await options.register?.(http, { keys, jwtSecret, db, schema, http, verifyToken, bootstrap: boot });
    await http.listen({ host: config.host, port: config.port });
    const address = http.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
    externalUrl = url;
    // Without SMTP, emails stay in the outbox for developers to read (dev mode).
    mail = config.smtp === undefined ? undefined : await startMailSender({ db, transport: smtpTransport(config.smtp), observe });
    // Likewise SMS without a provider.
    const sms: SmsSender | undefined = provider === undefined ? undefined : await startSmsSender({ db, provider, observe });
    const mailSender = mail;
    observe({ type: 'listening', url, ms: Math.round(performance.now() - started) });
    const store = schema;
    let closing: Promise<void> | undefined;
    const server = http;
    return {
      url,
      port,
      keys,
      jwtSecret,
      db,
      schema: store,
      http: server,
      verifyToken,
      bootstrap: boot,
      close: () =>
        (closing ??= (async () => {
          await server.close();
          // After the requests (which may queue mail and SMS), before the database they need.
          await mailSender?.stop();
          await sms?.stop();
          await store.stop();
          await db.close();
        })()),
    };
  } catch (e) {
    await mail?.stop().catch(() => undefined);
    await http?.close().catch(() => undefined);
    await schema?.stop().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw e;
  }
}
