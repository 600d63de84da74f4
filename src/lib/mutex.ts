// A FIFO mutex: callers run one at a time, in the order they asked. A caller still waiting
// can give up its place (an AbortSignal: its client went away), and the holder's start
// time is visible, so a health check can say "busy for 2 s" without queueing behind it.
export class AbortedWhileWaiting extends Error {
  constructor() {
    super('gave up waiting for the database');
    this.name = 'AbortedWhileWaiting';
  }
}

interface Waiter {
  readonly start: () => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

export class Mutex {
  #held = false;
  #heldSince: number | undefined;
  readonly #queue: Waiter[] = [];

  /** When the current holder started (performance.now()), or undefined when free. */
  get heldSince(): number | undefined {
    return this.#heldSince;
  }

  /** Callers waiting behind the holder. */
  get waiting(): number {
    return this.#queue.length;
  }

  run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted === true) return Promise.reject(new AbortedWhileWaiting());
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        signal?.removeEventListener('abort', waiter.onAbort);
        this.#held = true;
        this.#heldSince = performance.now();
        // Released before the caller hears back, so the caller sees the mutex free.
        work().then(
          (value) => {
            this.#release();
            resolve(value);
          },
          (e: unknown) => {
            this.#release();
            reject(e);
          },
        );
      };
      const waiter: Waiter = {
        start,
        signal,
        onAbort: () => {
          const at = this.#queue.indexOf(waiter);
          if (at < 0) return;
          this.#queue.splice(at, 1);
          reject(new AbortedWhileWaiting());
        },
      };
      if (!this.#held) return start();
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  #release(): void {
    this.#held = false;
    this.#heldSince = undefined;
    this.#queue.shift()?.start();
  }
}
