// Who decides a write's last moment: the main thread, which may stop a transaction past its
// deadline by restarting the worker, or the worker, which is about to COMMIT. A write that
// ends in one exchange (its COMMIT sent with its statements) arms the gate; the worker
// claims it before COMMIT and the main thread cancels it before a restart. Whoever moves
// first wins, so a restart never lands on a COMMIT under way (its outcome would be unknown)
// and a COMMIT never runs after its caller was told 57014. Shared memory, because the
// main thread may be busy when the worker reaches its COMMIT: a message would cost a turn.
const IDLE = 0;
const ARMED = 1;
const COMMITTING = 2;
const CANCELLED = 3;

export class CommitGate {
  readonly #cell: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(4)) {
    this.#cell = new Int32Array(buffer);
  }

  /** Main thread: a one-exchange write is on its way. */
  arm(): void {
    Atomics.store(this.#cell, 0, ARMED);
  }

  /** Main thread: its reply came (or the worker is gone). */
  reset(): void {
    Atomics.store(this.#cell, 0, IDLE);
  }

  /** Main thread: may the worker be stopped now? False only while a COMMIT is under way. */
  cancel(): boolean {
    return Atomics.compareExchange(this.#cell, 0, ARMED, CANCELLED) !== COMMITTING;
  }

  /** Worker: may it COMMIT? False once the main thread cancelled (it is restarting the worker). */
  claim(): boolean {
    return Atomics.compareExchange(this.#cell, 0, ARMED, COMMITTING) === ARMED;
  }
}
