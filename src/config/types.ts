// The shape of the one Config object `load.ts` builds at start-up, section by section.
import type { MailKind } from '../mail/kinds.ts';
import type { AllowList } from '../lib/allow-list.ts';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export type DatabaseConfig =
  | { readonly mode: 'embedded' }
  /** `adminUrl` bootstraps and migrates; requests log in to `url`'s database as their own roles. */
  | { readonly mode: 'server'; readonly url: string; readonly adminUrl: string };

/** An SMTP server for Auth's emails; undefined: they stay in the outbox. */
export interface SmtpConfig {
  readonly host: string;
  readonly port: number;
  /** TLS from the start (SMTPS); otherwise STARTTLS when offered. */
  readonly secure: boolean;
  readonly user: string | undefined;
  readonly pass: string | undefined;
  /** The From address. */
  readonly adminEmail: string;
  readonly senderName: string | undefined;
}

/** The SMS provider delivering Auth's SMS; undefined: they stay in the outbox. */
export type SmsConfig =
  | { readonly provider: 'webhook'; readonly url: string; readonly secret: string | undefined }
  | { readonly provider: 'twilio'; readonly accountSid: string; readonly authToken: string; readonly messagingServiceSid: string | undefined; readonly from: string | undefined };

/** The embedded database's PostgreSQL port; undefined when off or on a server. */
export interface DbPortConfig {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly idleInTransactionTimeoutMs: number;
}

/** How the embedded database is sized and created (unused in server mode). */
export interface EmbeddedConfig {
  /** PostgreSQL's `shared_buffers`, e.g. `16MB`. */
  readonly sharedBuffers: string;
  /** Where the initialised-database template is kept; undefined: none is kept. */
  readonly cacheDir: string | undefined;
}

/** Metrics and traces (src/observe/). */
export interface ObserveConfig {
  readonly metrics: {
    readonly enabled: boolean;
    /** A bearer token `/metrics` accepts besides the service_role key. */
    readonly token: string | undefined;
  };
  /** Undefined: tracing off. */
  readonly tracing: TracingConfig | undefined;
}

export interface TracingConfig {
  /** Where spans are posted (OTLP/HTTP JSON): the endpoint's `/v1/traces`. */
  readonly tracesUrl: string;
  readonly serviceName: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The share of requests without a caller's decision that are traced (0 to 1). */
  readonly sampleRatio: number;
  /** Follow requests through async work (AsyncLocalStorage): every database call and log line, at a cost. */
  readonly asyncContext: boolean;
}

export interface Config {
  readonly projectDir: string;
  readonly dataDir: string;
  readonly database: DatabaseConfig;
  readonly dbPort: DbPortConfig | undefined;
  readonly embedded: EmbeddedConfig;
  readonly host: string;
  readonly port: number;
  /** Undefined in embedded mode until start-up generates or reads the kept secret. */
  readonly jwtSecret: string | undefined;
  /** The audience tokens must name (PostgREST's jwt-aud); undefined: any. */
  readonly jwtAud: string | undefined;
  readonly logLevel: LogLevel;
  readonly bodyLimit: number;
  /** Node's bounds on receiving a request (0: none); headers at most the whole request. */
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly dbPoolSize: number;
  readonly autoMigrate: boolean;
  readonly shutdownTimeoutMs: number;
  readonly smtp: SmtpConfig | undefined;
  readonly sms: SmsConfig | undefined;
  readonly observe: ObserveConfig;
  readonly rest: {
    readonly schemas: readonly string[];
    readonly extraSearchPath: readonly string[];
    /** Undefined: no limit. */
    readonly maxRows: number | undefined;
    readonly aggregatesEnabled: boolean;
    readonly planEnabled: boolean;
    readonly txEnd: 'commit' | 'commit-allow-override' | 'rollback' | 'rollback-allow-override';
    readonly preRequest: string | undefined;
    readonly anonRole: string;
  };
  readonly realtime: {
    readonly maxConcurrentUsers: number;
    readonly maxChannelsPerClient: number;
    readonly maxJoinsPerSecond: number;
    readonly maxEventsPerSecond: number;
    readonly maxPayloadBytes: number;
    readonly sendBufferBytes: number;
  };
  readonly jobs: {
    /** Undefined: derived from the JWT secret (src/keys/webhook-secret.ts). */
    readonly webhookSecret: string | undefined;
    readonly allow: AllowList;
    readonly retry: { readonly maxAttempts: number; readonly baseMs: number; readonly maxMs: number };
    readonly concurrency: number;
    readonly endpointConcurrency: number;
    readonly historyDays: number;
  };
  readonly functions: {
    /** Absolute path of the functions folder. */
    readonly dir: string;
    readonly verifyJwt: boolean;
    readonly memoryMb: number;
    readonly timeoutMs: number;
    /** 0: no limit. */
    readonly cpuMs: number;
    readonly maxWorkers: number;
    readonly idleMs: number;
    /** Undefined: the `deno` npm package's binary. */
    readonly denoPath: string | undefined;
    /** Where Deno keeps its module cache (npm packages, compiled code). */
    readonly denoDir: string;
    /** The npm registry Deno resolves `npm:` specifiers through (npm's own setting, when set). */
    readonly npmRegistry: string | undefined;
    /** The home directory handed to Deno (its `.npmrc` is read from there). */
    readonly home: string | undefined;
    /** Proxy and certificate settings Deno needs to reach the registry as npm does (HTTPS_PROXY, SSL_CERT_FILE, DENO_CERT…). */
    readonly network: Readonly<Record<string, string>>;
  };
  /** The log store (src/logs/). */
  readonly mcp: {
    readonly enabled: boolean;
    /** Every session read-only, whatever it asks. */
    readonly readOnly: boolean;
    /** Users' access tokens open per-user sessions. */
    readonly users: boolean;
    readonly maxSessions: number;
    readonly idleMs: number;
  };
  readonly logs: {
    readonly enabled: boolean;
    /** The lowest level kept; `silent` keeps nothing. */
    readonly level: LogLevel;
    readonly retentionHours: number;
    readonly maxRows: number;
  };
  readonly auth: {
    readonly siteUrl: string;
    readonly autoconfirm: boolean;
    readonly disableSignup: boolean;
    readonly anonymousSignIns: boolean;
    readonly passwordMinLength: number;
    readonly passwordRequiredCharacters: readonly string[];
    readonly jwtExpiry: number;
    readonly refreshReuseInterval: number;
    /** `schema.function` called with {user_id, claims, authentication_method}; returns {claims}. */
    readonly customAccessTokenHook: string | undefined;
    /** Per 5 minutes; 0 is off. */
    readonly rateLimits: { readonly signInSignUps: number; readonly token: number; readonly mfa: number; readonly emailSent: number; readonly smsSent: number; readonly ipHeader: string | undefined };
    readonly redirectUrls: readonly string[];
    readonly otpExpiry: number;
    readonly securePasswordChange: boolean;
    /** Email changes confirmed from both addresses. */
    readonly secureEmailChange: boolean;
    /** Absolute path of the JWK set file, when asymmetric keys are configured. */
    readonly signingKeysPath: string | undefined;
    /** Absolute path of the folder of `<kind>.html` email templates. */
    readonly mailTemplatesDir: string | undefined;
    readonly mailSubjects: Readonly<Partial<Record<MailKind, string>>>;
    readonly phoneEnabled: boolean;
    readonly phoneAutoconfirm: boolean;
    readonly smsOtpExpiry: number;
    /** SMS wait in the outbox when no provider is configured; false: refused. */
    readonly smsOutbox: boolean;
    /** SMS text with `{{ .Code }}`. */
    readonly smsTemplate: string;
    /** Test phone numbers (normalised) and their fixed codes. */
    readonly smsTestOtp: ReadonlyMap<string, string>;
  };
}
