// The log store's memory between flushes: a ring of at most `capacity` entries. Past it the
// oldest go, counted, so a database that is down or slow costs bounded memory and the
// newest entries (the ones explaining the trouble) survive. Every operation is O(1) per
// entry: a request's log line must never wait on the buffer.

export class BoundedQueue<T> {
  readonly #slots: (T | undefined)[];
  #head = 0;
  #size = 0;
  #dropped = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive whole number');
    this.#slots = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.#size;
  }

  /** Entries dropped since the last `takeDropped()`. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Returns the count of dropped entries and starts counting again. */
  takeDropped(): number {
    const n = this.#dropped;
    this.#dropped = 0;
    return n;
  }

  /** Adds at the end; when full, the oldest entry goes. */
  push(item: T): void {
    if (this.#size === this.capacity) {
      this.#slots[this.#head] = item;
      this.#head = (this.#head + 1) % this.capacity;
      this.#dropped++;
      return;
    }
    this.#slots[(this.#head + this.#size) % this.capacity] = item;
    this.#size++;
  }

  /** Removes and returns up to `n` of the oldest entries, oldest first. */
  take(n: number): T[] {
    const count = Math.min(n, this.#size);
    const out = new Array<T>(count);
    for (let i = 0; i < count; i++) {
      out[i] = this.#slots[this.#head] as T;
      this.#slots[this.#head] = undefined;
      this.#head = (this.#head + 1) % this.capacity;
    }
    this.#size -= count;
    return out;
  }

  /**
   * Puts entries taken by `take` back in front (a flush that failed). What no longer fits
   * beside the entries that arrived meanwhile is dropped, oldest first.
   */
  putBack(items: readonly T[]): void {
    const room = this.capacity - this.#size;
    const kept = items.length > room ? items.slice(items.length - room) : items;
    this.#dropped += items.length - kept.length;
    for (let i = kept.length - 1; i >= 0; i--) {
      this.#head = (this.#head - 1 + this.capacity) % this.capacity;
      this.#slots[this.#head] = kept[i];
      this.#size++;
    }
  }
}
