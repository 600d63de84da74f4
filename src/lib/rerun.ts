// A task woken from several places (a NOTIFY, a timer, its own completions) that must not
// run twice at once: a wake while it runs makes it run once more when it ends, however many
// wakes came meanwhile.

export interface Rerunnable {
  wake(): void;
  /** No more runs; resolves when the one under way (if any) has ended. */
  stop(): Promise<void>;
}

/** `run` must not reject: it reports its own failures. */
export function rerunnable(run: () => Promise<void>): Rerunnable {
  let stopped = false;
  let again = false;
  let running: Promise<void> | undefined;
  return {
    wake: () => {
      if (stopped) return;
      if (running !== undefined) {
        again = true;
        return;
      }
      running = (async () => {
        do {
          again = false;
          await run();
        } while (again && !stopped);
      })().finally(() => (running = undefined));
    },
    stop: async () => {
      stopped = true;
      await running;
    },
  };
}
