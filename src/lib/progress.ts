// Long steps (migrations, reset) report through this, so the CLI can print a line per
// step with its timing while the server logs them and tests stay quiet.

export interface Progress {
  /** Starts a step; the returned function ends it with an optional note ("done", "skipped"). */
  step(label: string): (outcome?: string) => void;
  info(message: string): void;
}

export const silentProgress: Progress = { step: () => () => undefined, info: () => undefined };

/** Writes `label ... outcome (N ms)` lines, e.g. to stderr. */
export function lineProgress(write: (line: string) => void): Progress {
  return {
    step(label) {
      const started = performance.now();
      return (outcome = 'done') => write(`${label} ... ${outcome} (${Math.round(performance.now() - started)} ms)`);
    },
    info: (message) => write(message),
  };
}
