// Fail fast while the database cannot be reached, as PostgREST does: once a new connection
// is refused (or times out), calls are answered at once with DbUnavailableError instead of
// each waiting for connection attempts of its own, and one probe retries in the background
// every fraction of a second. The first successful probe lets calls through again, so the
// database is back in use within a probe interval of accepting connections.
import { DbUnavailableError } from '../errors.ts';

/** Driver error codes and SQLSTATEs that mean a new connection could not be made. */
const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'CONNECT_TIMEOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EAI_AGAIN', '57P03']);

export function isConnectFailure(e: unknown): boolean {
  let cause: unknown = e;
  // DbUnavailableError keeps the driver's error as its cause.
  for (let depth = 0; depth < 3 && cause instanceof Error; depth++) {
    const code = (cause as Error & { code?: unknown }).code;
    if (typeof code === 'string' && CONNECT_FAILURES.has(code)) return true;
    cause = cause.cause;
  }
  return false;
}

export interface OutageOptions {
  /** One round trip on a connection of the pool; rejects while the database is unreachable. */
  readonly probe: () => Promise<void>;
  /** Milliseconds between probes. */
  readonly intervalMs: number;
  readonly onChange?: (down: boolean) => void;
}

export class OutageGuard {
  #down = false;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: OutageOptions) {}

  get down(): boolean {
    return this.#down;
  }

  /** Throws at once while the database is known to be unreachable. */
  check(): void {
    if (this.#down) throw new DbUnavailableError('database unreachable; retrying the connection');
  }

  /** Runs `work`, tripping the guard when it fails because no connection could be made. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    this.check();
    try {
      return await work();
    } catch (e) {
      if (isConnectFailure(e)) this.trip();
      throw e;
    }
  }

  trip(): void {
    if (this.#down || this.#stopped) return;
    this.#down = true;
    this.options.onChange?.(true);
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.options.probe().then(
        () => {
          this.#down = false;
          this.options.onChange?.(false);
        },
        () => this.#schedule(),
      );
    }, this.options.intervalMs);
  }
}
