// Counts how a pool is used, for the metrics the port reports (`Database.stats`): callers
// waiting for a connection, connections held, and the time spent waiting. Both adapters
// measure at their own edge (the driver's queues are private), so the figures are the
// callers' view: a wait ends when the work starts on a connection of its own.
import type { PoolStats } from './port.ts';

export class PoolMeter {
  #waiting = 0;
  #busy = 0;
  #acquired = 0;
  #waitedMs = 0;

  constructor(readonly max: number) {}

  /**
   * Runs `work`, counted as waiting until it calls `acquired` (once it holds a connection)
   * and as busy from then until it settles. Work that never calls it only waited.
   */
  async measure<T>(work: (acquired: () => void) => Promise<T>): Promise<T> {
    const since = performance.now();
    let held = false;
    this.#waiting++;
    const acquired = () => {
      if (held) return;
      held = true;
      this.#waiting--;
      this.#busy++;
      this.#acquired++;
      this.#waitedMs += performance.now() - since;
    };
    try {
      return await work(acquired);
    } finally {
      if (held) this.#busy--;
      else this.#waiting--;
    }
  }

  /** Work that takes no turn of its own (a statement the driver may send on a busy connection): busy while it runs. */
  async busy<T>(work: () => Promise<T>): Promise<T> {
    this.#busy++;
    try {
      return await work();
    } finally {
      this.#busy--;
    }
  }

  stats(): PoolStats {
    return { max: this.max, busy: Math.min(this.#busy, this.max), waiting: this.#waiting, acquired: this.#acquired, waitedMs: this.#waitedMs };
  }
}
