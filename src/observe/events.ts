// Everything worth logging or counting, as one typed union. Modules call `observe(event)`;
// the logger (and later metrics and the dashboard's live log) decide what to do with it.

export type Observation =
  | { readonly type: 'starting'; readonly mode: 'embedded' | 'server'; readonly dataDir: string }
  | { readonly type: 'bootstrap'; readonly from: number; readonly to: number; readonly ms: number }
  | { readonly type: 'listening'; readonly url: string; readonly ms: number }
  | {
      readonly type: 'schema-cache-loaded';
      readonly relations: number;
      readonly routines: number;
      readonly ms: number;
      readonly reason: string;
      /** Introspected, or read from the data directory's snapshot (src/schema-cache/snapshot.ts). */
      readonly source: 'snapshot' | 'database';
    }
  | { readonly type: 'schema-cache-failed'; readonly reason: string; readonly error: string }
  | {
      readonly type: 'request';
      readonly requestId: string;
      readonly method: string;
      readonly url: string;
      readonly status: number;
      readonly ms: number;
      readonly bytes: number | undefined;
      /** The request's trace, when tracing is on (src/observe/tracing/). */
      readonly traceId?: string;
    }
  | { readonly type: 'request-failed'; readonly requestId: string; readonly error: unknown }
  /** The client closed the connection before its response was complete (mid-body, mid-query or mid-response). */
  | { readonly type: 'request-aborted'; readonly requestId: string; readonly method: string; readonly url: string; readonly ms: number }
  /**
   * A request refused below routing (malformed bytes, headers too large, too slow), answered
   * on the socket. `reason` is Node's code (HPE_…, ERR_HTTP_REQUEST_TIMEOUT); `method` and
   * `url` when the request had been routed, or the method when the request line was readable.
   */
  | {
      readonly type: 'client-error';
      readonly requestId: string;
      readonly status: number;
      readonly code: string;
      readonly reason: string;
      readonly method: string | undefined;
      readonly url: string | undefined;
    }
  | { readonly type: 'db-notice'; readonly message: string }
  /** A login role's password was (re)set at start-up, because the server refused it. */
  | { readonly type: 'db-login-password-set'; readonly role: string }
  /** A connection pool found its database unreachable (`down`), or reachable again. */
  | { readonly type: 'db-reachability'; readonly pool: string; readonly down: boolean }
  /** The embedded database's worker was restarted to stop a transaction (timeout, or its client left). */
  | { readonly type: 'db-worker-restarted'; readonly reason: string; readonly ms: number }
  /** The database port ended a connection with an error (password refused, idle in a transaction, a restart, shutdown). */
  | { readonly type: 'db-port-connection-ended'; readonly pid: number; readonly code: string; readonly message: string }
  /** A queued email; `link` only while emails stay in the outbox (with SMTP, logs must not hold working links). */
  | { readonly type: 'mail'; readonly kind: string; readonly to: string; readonly subject: string; readonly link?: string | null }
  /** An email handed to the SMTP server. */
  | { readonly type: 'mail-sent'; readonly id: number; readonly kind: string; readonly to: string; readonly attempts: number; readonly ms: number }
  /** A failed send; it is tried again after `retryInSeconds`, or never when that is null (attempts used up). */
  | { readonly type: 'mail-failed'; readonly id: number; readonly kind: string; readonly to: string; readonly attempts: number; readonly error: string; readonly retryInSeconds: number | null }
  /** The sender could not work the outbox (database trouble); the next wake or sweep tries again. */
  | { readonly type: 'mail-sender-failed'; readonly error: string }
  /** An SMS queued in the outbox (its text, so codes can be read locally). */
  | { readonly type: 'sms'; readonly kind: string; readonly to: string; readonly body?: string; readonly messageId: string }
  /** An SMS the provider accepted; `providerId` is the provider's own message id, when it gave one. */
  | {
      readonly type: 'sms-sent';
      readonly id: number;
      readonly kind: string;
      readonly to: string;
      readonly attempts: number;
      readonly ms: number;
      readonly provider: string;
      readonly providerId: string | null;
    }
  /** A refused or failed SMS send; tried again after `retryInSeconds`, or never when that is null. */
  | {
      readonly type: 'sms-failed';
      readonly id: number;
      readonly kind: string;
      readonly to: string;
      readonly attempts: number;
      readonly provider: string;
      readonly error: string;
      readonly retryInSeconds: number | null;
    }
  /** The SMS sender could not work the outbox (database trouble); the next wake or sweep tries again. */
  | { readonly type: 'sms-sender-failed'; readonly error: string }
  /** Realtime trouble that does not stop it: a failed fan-out, a feed read retried, a malformed frame. */
  | { readonly type: 'realtime-error'; readonly where: string; readonly message: string }
  /** A realtime socket closed by the server (a slow consumer, the joins limit, idleness). */
  | { readonly type: 'realtime-disconnect'; readonly reason: string }
  /**
   * This node's realtime traffic: sockets open now, and frames received and sent since the
   * previous report. Reported when a socket opens or closes, and every few seconds while
   * frames flow (counted, not observed one by one: src/realtime/socket/traffic.ts).
   */
  | { readonly type: 'realtime-traffic'; readonly connections: number; readonly messagesIn: number; readonly messagesOut: number }
  /** A module's background worker failed to stop cleanly; shutdown went on. */
  /** One attempt of an outbound request (database webhook or net.http_*); `outcome` pending means it will be retried. */
  | {
      readonly type: 'http-delivery';
      readonly id: string;
      readonly webhook: string | null;
      readonly method: string;
      readonly url: string;
      readonly attempt: number;
      readonly status: number | null;
      readonly ms: number;
      readonly outcome: 'succeeded' | 'failed' | 'dead' | 'pending';
      readonly retryInMs?: number;
      readonly error?: string;
    }
  /** A cron job's run ended; `lateMs` is how long after its tick it started. */
  | { readonly type: 'cron-run'; readonly jobid: string; readonly jobname: string | null; readonly runid: string; readonly status: 'succeeded' | 'failed'; readonly ms: number; readonly lateMs: number; readonly error?: string }
  /** A queue's depth, reported each minute while it has messages. */
  | { readonly type: 'queue-depth'; readonly queue: string; readonly length: number; readonly oldestAgeSeconds: number | null }
  /** A background worker of the jobs family could not do its round (database trouble); it tries again. */
  | { readonly type: 'jobs-worker-failed'; readonly worker: string; readonly error: string }
  | { readonly type: 'worker-stop-failed'; readonly worker: string; readonly error: string }
  /** A function's console output, tagged with the invocation it was written for (null: outside one). */
  | { readonly type: 'function-log'; readonly name: string; readonly requestId: string | null; readonly level: 'debug' | 'info' | 'warn' | 'error'; readonly message: string }
  /** A function worker (one Deno process) started, or stopped and why (`idle`, `changed`, `memory`, `cpu`, `timeout`, `crashed`, `boot-error`…). */
  | { readonly type: 'function-worker'; readonly name: string; readonly event: 'started' | 'stopped'; readonly reason?: string; readonly ms?: number; readonly pid?: number }
  /** An invocation the function did not answer itself: its code (`BOOT_ERROR`, `WORKER_LIMIT`, `IDLE_TIMEOUT`, `WORKER_ERROR`) and why. */
  | { readonly type: 'function-failed'; readonly name: string; readonly requestId: string; readonly code: string; readonly message: string }
  | { readonly type: 'shutdown'; readonly signal: string; readonly phase: 'begin' | 'done' | 'forced'; readonly ms?: number };

export type Observer = (event: Observation) => void;
