// Where each request posted to the worker stands, in memory both threads share. The main
// thread posts requests ahead (host.ts), so the worker can go from one to the next without
// waiting for the main thread's turn; stopping one (a deadline, a client that left) then
// needs to know, without a message, whether the worker has started it, is committing it or
// is done with it. Each request has a cell; both threads move it with compare-and-swap, so
// whoever moves first wins: a restart never lands on a COMMIT under way (its outcome would
// be unknown), a COMMIT never runs after its caller was told 57014, and a request cancelled
// before it started is skipped, never run after its caller heard back.
const FREE = 0;
const QUEUED = 1;
const RUNNING = 2;
const COMMITTING = 3;
const DONE = 4;
const CANCELLED = 5;

/** What a cancel found: not started (the worker will skip it), running (stop the worker), or past stopping. */
export type Cancelled = 'unstarted' | 'running' | 'finishing';

export class JobCells {
  readonly #cells: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.#cells = new Int32Array(buffer);
  }

  static create(size: number): JobCells {
    return new JobCells(new SharedArrayBuffer(4 * size));
  }

  get size(): number {
    return this.#cells.length;
  }

  /** Main thread: a request is posted in this cell. */
  queue(slot: number): void {
    Atomics.store(this.#cells, slot, QUEUED);
  }

  /** Main thread: the request's reply came, or its worker is gone. */
  free(slot: number): void {
    Atomics.store(this.#cells, slot, FREE);
  }

  /** Main thread: stop the request, if it can be. */
  cancel(slot: number): Cancelled {
    if (Atomics.compareExchange(this.#cells, slot, QUEUED, CANCELLED) === QUEUED) return 'unstarted';
    const found = Atomics.compareExchange(this.#cells, slot, RUNNING, CANCELLED);
    return found === RUNNING || found === CANCELLED ? 'running' : 'finishing';
  }

  /** Worker: may it start the request? False once cancelled. */
  start(slot: number): boolean {
    return Atomics.compareExchange(this.#cells, slot, QUEUED, RUNNING) === QUEUED;
  }

  /** Worker: may it COMMIT? False once the main thread cancelled (it is restarting the worker). */
  commit(slot: number): boolean {
    return Atomics.compareExchange(this.#cells, slot, RUNNING, COMMITTING) === RUNNING;
  }

  /** Worker: the request is done; nothing is left to stop. */
  done(slot: number): void {
    if (Atomics.compareExchange(this.#cells, slot, RUNNING, DONE) !== RUNNING) Atomics.compareExchange(this.#cells, slot, COMMITTING, DONE);
  }
}
