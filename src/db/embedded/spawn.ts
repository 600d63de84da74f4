// Starting the thread that owns PGlite: where its code is, and the memory it may keep.
import { Worker } from 'node:worker_threads';
import type { WorkerInit } from './protocol.ts';

/**
 * The worker's young generation, in MB. V8's default (up to 48 MB, per thread) filled up
 * under the REST bench and stayed resident: 2 MB left the process 50 MB smaller after the
 * feed (median of five alternating runs, 335 → 283 MB) for no measurable loss of rate.
 */
const WORKER_YOUNG_GENERATION_MB = 2;

// Built, the worker is worker.js beside this file. Run from sources (tsx, in development
// and tests), it is worker.ts and needs tsx's loader, which worker threads do not inherit.
export function spawnWorker(init: WorkerInit): Worker {
  const options = { workerData: init, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url), options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
