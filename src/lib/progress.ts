// Long steps (migrations, reset) report through this, so the CLI can print a line per
// step with its timing while the server logs them and tests stay quiet.

export interface Progress {
  /** Starts a step; the returned function ends it with an optional note ("done", "skipped"). */
  step(label: string): (outcome?: string) => void;
  info(message: string): void;
}

export const silentProgress: Progress = { step: () => () => undefined, info: () => undefined };

/**
 * Writes `label ... ` when a step starts and `outcome (N ms)` when it ends, on one line,
 * so a slow step shows what it is doing while it runs. `write` takes raw text (stderr).
 */
export function lineProgress(write: (text: string) => void): Progress {
  return {
    step(label) {
      const started = performance.now();
      write(`${label} ... `);
      return (outcome = 'done') => write(`${outcome} (${Math.round(performance.now() - started)} ms)\n`);
    },
    info: (message) => write(`${message}\n`),
  };
}
