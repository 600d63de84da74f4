// Where the Deno-side files are: beside this module in the source tree, and copied beside
// the bundle's chunks (dist/deno/) by scripts/build.ts.
import { fileURLToPath } from 'node:url';
import type { Shims } from '../project/import-map.ts';

export const runnerPath = fileURLToPath(new URL('./deno/runner.ts', import.meta.url));

export const shims: Shims = {
  stdHttpServer: new URL('./deno/std-http-server.ts', import.meta.url).href,
  edgeRuntimeTypes: new URL('./deno/edge-runtime.d.ts', import.meta.url).href,
};
