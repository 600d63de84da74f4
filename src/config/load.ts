// Builds the one Config object, once, at start-up: defaults, then `<project>/.env`, then
// the environment, then command-line flags. This module and the CLI entry are the only
// places that see process.env; everything else receives the Config value.
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parseDotenv } from './dotenv.ts';
import { settings, type SettingName } from './settings.ts';
import type { AllowList } from '../lib/allow-list.ts';
import type { Config, DatabaseConfig, DbPortConfig, EmbeddedConfig, LogLevel, SmsConfig, SmtpConfig } from './types.ts';


export type { Config, DatabaseConfig, DbPortConfig, EmbeddedConfig, LogLevel, SmsConfig, SmtpConfig } from './types.ts';

/** A bad setting: `variable` names it as the user wrote it, `problem` says what is wrong. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

export interface ConfigSources {
  /** Flag values by flag name (without `--`). */
  readonly flags: Readonly<Record<string, string | undefined>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Returns a file's text, or undefined when it does not exist. */
  readonly readFile: (path: string) => string | undefined;
}

/** Passed to the Deno processes that run functions, so they reach the network the way this process does. */
const NETWORK_ENV = ['NODE_EXTRA_CA_CERTS', 'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'DENO_CERT', 'DENO_TLS_CA_STORE'];

const SECRET_SETTINGS: ReadonlySet<SettingName> = new Set(['jwtSecret', 'databaseUrl', 'adminDatabaseUrl', 'smtpPass', 'smsWebhookSecret', 'smsTwilioAuthToken', 'webhookSecret', 'metricsToken', 'otlpHeaders']);

export function resolveConfig(sources: ConfigSources): Config {
  const nonEmpty = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v);
  const fromFlagsOrEnv = (name: SettingName) => {
    const s = settings[name];
    const flag = nonEmpty(sources.flags[s.flag]);
    if (flag !== undefined) return { value: flag, origin: `--${s.flag}` };
    const env = nonEmpty(sources.env[s.env]);
    return env === undefined ? undefined : { value: env, origin: s.env };
  };

  const projectDir = resolve(sources.cwd, fromFlagsOrEnv('projectDir')?.value ?? settings.projectDir.default);
  const dotenv = parseDotenv(sources.readFile(resolve(projectDir, '.env')) ?? '');

  const raw = (name: SettingName) => {
    const direct = fromFlagsOrEnv(name);
    if (direct !== undefined) return direct;
    const s = settings[name];
    const fileValue = nonEmpty(dotenv[s.env]);
    return fileValue === undefined ? undefined : { value: fileValue, origin: `in ${resolve(projectDir, '.env')}` };
  };

  function read<N extends SettingName>(name: N, fallback?: string) {
    const s = settings[name];
    const r = raw(name) ?? (fallback === undefined ? undefined : { value: fallback, origin: s.env });
    if (r === undefined) return undefined;
    const parsed = s.schema.safeParse(r.value);
    if (!parsed.success) {
      const problem = parsed.error.issues[0]?.message ?? 'is invalid';
      const shown = SECRET_SETTINGS.has(name) ? '' : ` (got ${JSON.stringify(r.value)})`;
      throw new ConfigError(r.origin === s.env ? s.env : `${s.env} (${r.origin})`, `${problem}${shown}`);
    }
    return parsed.data as ReturnType<(typeof settings)[N]['schema']['parse']>;
  }

  function smtp(): SmtpConfig | undefined {
    const host = read('smtpHost');
    if (host === undefined) return undefined;
    const adminEmail = read('smtpAdminEmail');
    if (adminEmail === undefined) throw new ConfigError(settings.smtpAdminEmail.env, `is required when ${settings.smtpHost.env} is set (the From address)`);
    const port = read('smtpPort', settings.smtpPort.default) as number;
    return { host, port, secure: (read('smtpSecure') as boolean | undefined) ?? port === 465, user: read('smtpUser'), pass: read('smtpPass'), adminEmail, senderName: read('smtpSenderName') };
  }

  function sms(): SmsConfig | undefined {
    const url = read('smsWebhookUrl');
    const accountSid = read('smsTwilioAccountSid');
    if (url !== undefined && accountSid !== undefined) throw new ConfigError(settings.smsTwilioAccountSid.env, `cannot be set together with ${settings.smsWebhookUrl.env} (one SMS provider)`);
    if (url !== undefined) return { provider: 'webhook', url, secret: read('smsWebhookSecret') };
    if (accountSid === undefined) return undefined;
    const authToken = read('smsTwilioAuthToken');
    if (authToken === undefined) throw new ConfigError(settings.smsTwilioAuthToken.env, `is required when ${settings.smsTwilioAccountSid.env} is set`);
    const messagingServiceSid = read('smsTwilioMessageServiceSid');
    const from = read('smsTwilioFrom');
    if (messagingServiceSid === undefined && from === undefined) {
      throw new ConfigError(settings.smsTwilioMessageServiceSid.env, `or ${settings.smsTwilioFrom.env} is required when ${settings.smsTwilioAccountSid.env} is set (the sender)`);
    }
    return { provider: 'twilio', accountSid, authToken, messagingServiceSid, from };
  }

  function database(url: string | undefined): DatabaseConfig {
    const adminUrl = read('adminDatabaseUrl');
    if (url === undefined) {
      if (adminUrl !== undefined) throw new ConfigError(settings.adminDatabaseUrl.env, `is only used with ${settings.databaseUrl.env} (the embedded database needs none)`);
      return { mode: 'embedded' };
    }
    if (adminUrl === undefined && decodeURIComponent(new URL(url).username) === 'authenticator') {
      throw new ConfigError(settings.adminDatabaseUrl.env, `is required when ${settings.databaseUrl.env} logs in as authenticator, which cannot bootstrap the database`);
    }
    return { mode: 'server', url, adminUrl: adminUrl ?? url };
  }

  function dbPort(database: DatabaseConfig): DbPortConfig | undefined {
    const given = read('dbPort');
    if (database.mode === 'server') {
      if (given !== undefined && given !== 'off') throw new ConfigError(settings.dbPort.env, `is only served by the embedded database (with ${settings.databaseUrl.env}, connect to that server directly)`);
      return undefined;
    }
    const port = given ?? (read('dbPort', settings.dbPort.default) as number);
    if (port === 'off') return undefined;
    return {
      host: read('dbHost', settings.dbHost.default) as string,
      port,
      idleInTransactionTimeoutMs: read('dbIdleInTransactionTimeoutMs', settings.dbIdleInTransactionTimeoutMs.default) as number,
    };
  }

  function embedded(): EmbeddedConfig {
    const sharedBuffers = read('embeddedSharedBuffers', settings.embeddedSharedBuffers.default) as string;
    const given = read('cacheDir');
    if (given !== undefined) return { sharedBuffers, cacheDir: given.toLowerCase() === 'off' ? undefined : resolve(sources.cwd, given) };
    // The XDG base directory convention; without a home (some services) nothing is kept.
    const xdg = nonEmpty(sources.env['XDG_CACHE_HOME']);
    const home = nonEmpty(sources.env['HOME']);
    const base = xdg !== undefined && isAbsolute(xdg) ? xdg : home === undefined ? undefined : join(home, '.cache');
    return { sharedBuffers, cacheDir: base === undefined ? undefined : join(base, 'groundwork') };
  }

  function timeouts(): { headersTimeoutMs: number; requestTimeoutMs: number } {
    const headersTimeoutMs = read('headersTimeoutMs', settings.headersTimeoutMs.default) as number;
    const requestTimeoutMs = read('requestTimeoutMs', settings.requestTimeoutMs.default) as number;
    if (requestTimeoutMs > 0 && headersTimeoutMs > requestTimeoutMs) {
      throw new ConfigError(settings.headersTimeoutMs.env, `must be at most ${settings.requestTimeoutMs.env} (${requestTimeoutMs}), which counts the headers too`);
    }
    return { headersTimeoutMs, requestTimeoutMs };
  }

  const dataDir = read('dataDir');
  const url = read('databaseUrl');
  const db = database(url);
  const dataDirPath = dataDir === undefined ? resolve(projectDir, '.groundwork') : isAbsolute(dataDir) ? dataDir : resolve(sources.cwd, dataDir);
  const embeddedConfig = embedded();

  function functions(): Config['functions'] {
    const dir = read('functionsDir');
    const denoPath = read('denoPath');
    return {
      dir: dir === undefined ? resolve(projectDir, 'supabase', 'functions') : resolve(sources.cwd, dir),
      verifyJwt: read('functionsVerifyJwt', settings.functionsVerifyJwt.default) as boolean,
      memoryMb: read('functionsMemoryMb', settings.functionsMemoryMb.default) as number,
      timeoutMs: read('functionsTimeoutMs', settings.functionsTimeoutMs.default) as number,
      cpuMs: read('functionsCpuMs', settings.functionsCpuMs.default) as number,
      maxWorkers: read('functionsMaxWorkers', settings.functionsMaxWorkers.default) as number,
      idleMs: read('functionsIdleMs', settings.functionsIdleMs.default) as number,
      denoPath: denoPath === undefined ? undefined : resolve(sources.cwd, denoPath),
      // Shared between projects like the database template: npm packages download once.
      denoDir: nonEmpty(sources.env['DENO_DIR']) ?? join(embeddedConfig.cacheDir ?? dataDirPath, 'deno'),
      npmRegistry: nonEmpty(sources.env['NPM_CONFIG_REGISTRY']) ?? nonEmpty(sources.env['npm_config_registry']),
      home: nonEmpty(sources.env['HOME']),
      network: Object.fromEntries(NETWORK_ENV.flatMap((name) => ((v) => (v === undefined ? [] : [[name, v]]))(nonEmpty(sources.env[name])))),
    };
  }

  return {
    projectDir,
    dataDir: dataDirPath,
    database: db,
    dbPort: dbPort(db),
    embedded: embeddedConfig,
    host: read('host', settings.host.default) as string,
    port: read('port', settings.port.default) as number,
    jwtSecret: read('jwtSecret'),
    jwtAud: read('jwtAud'),
    logLevel: read('logLevel', settings.logLevel.default) as LogLevel,
    bodyLimit: read('bodyLimit', settings.bodyLimit.default) as number,
    ...timeouts(),
    dbPoolSize: read('dbPoolSize', settings.dbPoolSize.default) as number,
    autoMigrate: read('autoMigrate', settings.autoMigrate.default) as boolean,
    shutdownTimeoutMs: read('shutdownTimeoutMs', settings.shutdownTimeoutMs.default) as number,
    smtp: smtp(),
    sms: sms(),
    observe: {
      metrics: { enabled: read('metrics', settings.metrics.default) as boolean, token: read('metricsToken') },
      tracing: ((endpoint) =>
        endpoint === undefined
          ? undefined
          : {
              tracesUrl: `${endpoint.replace(/\/+$/, '')}/v1/traces`,
              serviceName: read('otelServiceName', settings.otelServiceName.default) as string,
              headers: read('otlpHeaders') ?? {},
              // Development traces everything; a server samples (tracing every request costs it about a quarter of its REST throughput).
              sampleRatio: (read('traceSampleRatio') as number | undefined) ?? (url === undefined ? 1 : 0.1),
              asyncContext: read('traceAsyncContext', settings.traceAsyncContext.default) as boolean,
            })(read('otlpEndpoint')),
    },
    mcp: {
      enabled: read('mcp', settings.mcp.default) as boolean,
      readOnly: read('mcpReadOnly', settings.mcpReadOnly.default) as boolean,
      users: read('mcpUsers', settings.mcpUsers.default) as boolean,
      maxSessions: read('mcpMaxSessions', settings.mcpMaxSessions.default) as number,
      idleMs: read('mcpIdleMs', settings.mcpIdleMs.default) as number,
    },
    rest: {
      schemas: read('dbSchemas', settings.dbSchemas.default) as string[],
      extraSearchPath: read('dbExtraSearchPath', settings.dbExtraSearchPath.default) as string[],
      maxRows: ((n) => (n === 0 ? undefined : n))(read('dbMaxRows', settings.dbMaxRows.default) as number),
      aggregatesEnabled: read('dbAggregatesEnabled', settings.dbAggregatesEnabled.default) as boolean,
      planEnabled: read('dbPlanEnabled', settings.dbPlanEnabled.default) as boolean,
      txEnd: read('dbTxEnd', settings.dbTxEnd.default) as Config['rest']['txEnd'],
      preRequest: read('dbPreRequest'),
      anonRole: 'anon',
    },
    realtime: {
      maxConcurrentUsers: read('realtimeMaxConcurrentUsers', settings.realtimeMaxConcurrentUsers.default) as number,
      maxChannelsPerClient: read('realtimeMaxChannelsPerClient', settings.realtimeMaxChannelsPerClient.default) as number,
      maxJoinsPerSecond: read('realtimeMaxJoinsPerSecond', settings.realtimeMaxJoinsPerSecond.default) as number,
      maxEventsPerSecond: read('realtimeMaxEventsPerSecond', settings.realtimeMaxEventsPerSecond.default) as number,
      maxPayloadBytes: (read('realtimeMaxPayloadKb', settings.realtimeMaxPayloadKb.default) as number) * 1024,
      sendBufferBytes: (read('realtimeSendBufferKb', settings.realtimeSendBufferKb.default) as number) * 1024,
    },
    jobs: {
      webhookSecret: read('webhookSecret') as string | undefined,
      allow: read('webhookAllow', settings.webhookAllow.default) as AllowList,
      retry: {
        maxAttempts: read('webhookMaxAttempts', settings.webhookMaxAttempts.default) as number,
        baseMs: read('webhookRetryBaseMs', settings.webhookRetryBaseMs.default) as number,
        maxMs: read('webhookRetryMaxMs', settings.webhookRetryMaxMs.default) as number,
      },
      concurrency: read('webhookConcurrency', settings.webhookConcurrency.default) as number,
      endpointConcurrency: read('webhookEndpointConcurrency', settings.webhookEndpointConcurrency.default) as number,
      historyDays: read('jobsHistoryDays', settings.jobsHistoryDays.default) as number,
    },
    functions: functions(),
    logs: {
      enabled: read('logStore', settings.logStore.default) as boolean,
      level: (read('logStoreLevel') as LogLevel | undefined) ?? (read('logLevel', settings.logLevel.default) as LogLevel),
      retentionHours: read('logRetentionHours', settings.logRetentionHours.default) as number,
      maxRows: read('logMaxRows', settings.logMaxRows.default) as number,
    },
    auth: {
      siteUrl: read('authSiteUrl', settings.authSiteUrl.default) as string,
      // Embedded mode is for development: sign-ups work without an email round trip.
      autoconfirm: (read('authAutoconfirm') as boolean | undefined) ?? url === undefined,
      disableSignup: read('authDisableSignup', settings.authDisableSignup.default) as boolean,
      anonymousSignIns: read('authAnonymousSignIns', settings.authAnonymousSignIns.default) as boolean,
      passwordMinLength: read('authPasswordMinLength', settings.authPasswordMinLength.default) as number,
      passwordRequiredCharacters: (read('authPasswordRequiredCharacters') as string[] | undefined) ?? [],
      jwtExpiry: read('authJwtExpiry', settings.authJwtExpiry.default) as number,
      refreshReuseInterval: read('authRefreshReuseInterval', settings.authRefreshReuseInterval.default) as number,
      customAccessTokenHook: read('authHookCustomAccessToken'),
      rateLimits: {
        signInSignUps: read('authRateLimitSignIns', settings.authRateLimitSignIns.default) as number,
        token: read('authRateLimitToken', settings.authRateLimitToken.default) as number,
        mfa: read('authRateLimitMfa', settings.authRateLimitMfa.default) as number,
        emailSent: read('authRateLimitEmailSent', settings.authRateLimitEmailSent.default) as number,
        smsSent: read('authRateLimitSmsSent', settings.authRateLimitSmsSent.default) as number,
        ipHeader: (read('authRateLimitHeader') as string | undefined)?.toLowerCase(),
      },
      redirectUrls: (read('authRedirectUrls') as string[] | undefined) ?? [],
      otpExpiry: read('authOtpExpiry', settings.authOtpExpiry.default) as number,
      securePasswordChange: read('authSecurePasswordChange', settings.authSecurePasswordChange.default) as boolean,
      secureEmailChange: read('authSecureEmailChange', settings.authSecureEmailChange.default) as boolean,
      signingKeysPath: ((p) => (p === undefined ? undefined : resolve(projectDir, p)))(read('authSigningKeysPath') as string | undefined),
      mailTemplatesDir: ((p) => (p === undefined ? undefined : resolve(projectDir, p)))(read('authMailTemplatesDir') as string | undefined),
      mailSubjects: read('authMailSubjects') ?? {},
      phoneEnabled: read('authPhoneEnabled', settings.authPhoneEnabled.default) as boolean,
      phoneAutoconfirm: read('authPhoneAutoconfirm', settings.authPhoneAutoconfirm.default) as boolean,
      smsOtpExpiry: read('authSmsOtpExpiry', settings.authSmsOtpExpiry.default) as number,
      smsOutbox: read('authSmsOutbox', settings.authSmsOutbox.default) as boolean,
      smsTemplate: read('authSmsTemplate', settings.authSmsTemplate.default) as string,
      smsTestOtp: (read('authSmsTestOtp') as ReadonlyMap<string, string> | undefined) ?? new Map<string, string>(),
    },
  };
}

/** The production entry: real environment, real files. */
export function loadConfig(flags: Readonly<Record<string, string | undefined>>): Config {
  return resolveConfig({
    flags,
    env: process.env,
    cwd: process.cwd(),
    readFile: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
  });
}
