// Where the health advisor starts to speak. Defaults aim at "worth a look", not at noise on a
// development database; tests pass lower ones to make each check fire.

export interface HealthThresholds {
  /** Client sessions over the usable connection limit: WARN from here… */
  readonly connectionsWarn: number;
  /** …ERROR from here. */
  readonly connectionsError: number;
  /** A statement running longer than this (seconds). */
  readonly longQuerySeconds: number;
  /** A session idle inside an open transaction longer than this (seconds). */
  readonly idleInTransactionSeconds: number;
  /** Dead rows a table must have before its share counts… */
  readonly deadTuplesMin: number;
  /** …and the share of dead rows (of live + dead) that makes it INFO; WARN from `deadTuplesWarnRatio`. */
  readonly deadTuplesRatio: number;
  readonly deadTuplesWarnRatio: number;
  /** Block reads (hits + misses) before the cache hit ratio means anything… */
  readonly cacheMinBlocks: number;
  /** …and the ratio below which it is reported. */
  readonly cacheHitRatio: number;
  /** Transactions since the database was last frozen: WARN, then ERROR (wraparound is at 2^31). */
  readonly xidAgeWarn: number;
  readonly xidAgeError: number;
  /** A pending outbound request overdue by this long means no dispatcher is keeping up (seconds). */
  readonly httpOverdueSeconds: number;
  /** A queue message older than this (seconds). */
  readonly queueMessageSeconds: number;
  /** How far back failures count (hours): dead webhook deliveries, failed cron runs. */
  readonly failureWindowHours: number;
}

export const DEFAULT_THRESHOLDS: HealthThresholds = {
  connectionsWarn: 0.8,
  connectionsError: 0.95,
  longQuerySeconds: 300,
  idleInTransactionSeconds: 60,
  deadTuplesMin: 10_000,
  deadTuplesRatio: 0.2,
  deadTuplesWarnRatio: 0.5,
  cacheMinBlocks: 100_000,
  cacheHitRatio: 0.99,
  xidAgeWarn: 1_000_000_000,
  xidAgeError: 1_600_000_000,
  httpOverdueSeconds: 300,
  queueMessageSeconds: 3600,
  failureWindowHours: 24,
};
