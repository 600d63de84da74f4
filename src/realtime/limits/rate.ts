// Rates as Supabase averages them (realtime.md §10.1): events counted in 5 s buckets, the
// last 12 of them (60 s) averaged, so a short burst passes and a sustained one does not.
const BUCKET_MS = 5000;
const BUCKETS = 12;

export class WindowRate {
  readonly #counts = new Array<number>(BUCKETS).fill(0);
  #bucket = 0;
  #bucketStart = 0;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  #roll(): void {
    const t = this.now();
    const steps = Math.floor((t - this.#bucketStart) / BUCKET_MS);
    if (steps <= 0) return;
    for (let i = 1; i <= Math.min(steps, BUCKETS); i++) this.#counts[(this.#bucket + i) % BUCKETS] = 0;
    this.#bucket = (this.#bucket + steps) % BUCKETS;
    this.#bucketStart += steps * BUCKET_MS;
    if (t - this.#bucketStart >= BUCKET_MS) this.#bucketStart = t;
  }

  /** Counts `n` events; false when the window's average is now past the limit. */
  add(n = 1): boolean {
    this.#roll();
    this.#counts[this.#bucket] = (this.#counts[this.#bucket] ?? 0) + n;
    return this.average() <= this.perSecond;
  }

  average(): number {
    this.#roll();
    return this.#counts.reduce((a, b) => a + b, 0) / ((BUCKETS * BUCKET_MS) / 1000);
  }
}

/** A fixed number of calls per sliding window (presence calls: 5 per 30 s per channel). */
export class CallLimit {
  readonly #times: number[] = [];

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(): boolean {
    const t = this.now();
    while (this.#times.length > 0 && (this.#times[0] ?? 0) <= t - this.windowMs) this.#times.shift();
    if (this.#times.length >= this.max) return false;
    this.#times.push(t);
    return true;
  }
}
