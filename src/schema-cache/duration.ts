// PostgreSQL's time settings as written in `alter role … set statement_timeout = '3s'`:
// a number with an optional unit (us, ms, s, min, h, d); without one, milliseconds.
const UNITS: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds, or undefined for 0 (no limit) and anything PostgreSQL would not accept. */
export function parseDurationMs(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(us|ms|s|min|h|d)?\s*$/.exec(text);
  if (m === null) return undefined;
  const ms = Number(m[1]) * (UNITS[m[2] ?? 'ms'] ?? 1);
  return ms >= 1 ? Math.round(ms) : undefined;
}
