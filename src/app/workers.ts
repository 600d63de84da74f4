// Runs the modules' background workers: started in module order once the server listens,
// stopped newest first after it stops accepting. A worker that fails to start stops the
// ones before it; one that fails to stop is reported and does not keep the rest running.
import type { Worker } from '../http/module.ts';
import type { Observer } from '../observe/events.ts';

export interface RunningWorkers {
  stop(): Promise<void>;
}

export async function startWorkers(workers: readonly Worker[], observe: Observer): Promise<RunningWorkers> {
  const running: Worker[] = [];
  const stop = async () => {
    for (const w of running.splice(0).reverse()) {
      await w.stop().catch((e: unknown) => observe({ type: 'worker-stop-failed', worker: w.name, error: e instanceof Error ? e.message : String(e) }));
    }
  };
  for (const w of workers) {
    try {
      await w.start();
    } catch (e) {
      await stop();
      throw e;
    }
    running.push(w);
  }
  return { stop };
}
