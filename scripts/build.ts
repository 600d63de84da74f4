// The shipped CLI as a few bundled files: `npm run build` type-checks with tsc, then esbuild
// writes dist/cli.js (the `groundwork` bin), the embedded database's worker thread and the
// chunks the lazily imported commands and modules load. One file instead of ~400 ES modules
// (zod, Fastify, pino, ours) halves the CPU a start spends loading code; see
// docs/DECISIONS.md. `tsx scripts/build.ts [outdir]` bundles into another directory (a
// test does, inside node_modules/.cache so that the external packages still resolve).
import { cpSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type BuildResult } from 'esbuild';

const root = join(import.meta.dirname, '..');

/**
 * Left to node_modules: PGlite loads its .wasm and .data files relative to its own module
 * (and template.ts reads its package.json for the version), so it cannot be inlined.
 */
// libpg-query finds its .wasm beside itself (through __dirname), like PGlite.
export const external = ['@electric-sql/pglite', '@electric-sql/pglite/*', 'libpg-query'];

export async function bundle(outdir: string): Promise<BuildResult> {
  rmSync(outdir, { recursive: true, force: true });
  // Deno, not Node, runs these (functions' runner and offline stand-ins): copied as they are,
  // beside the chunks, where src/functions/runtime/paths.ts looks for them.
  cpSync(join(root, 'src/functions/runtime/deno'), join(outdir, 'deno'), { recursive: true });
  return build({
    absWorkingDir: root,
    // spawn.ts starts the worker as `new URL('./worker.js', import.meta.url)`: every chunk is
    // written flat in outdir, so whichever chunk holds spawn.ts finds worker.js beside it.
    entryPoints: { cli: 'src/cli.ts', worker: 'src/db/embedded/worker.ts' },
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    external,
    // Bundled CommonJS (Fastify, pino, postgres.js's deps) calls require() for Node's
    // built-ins, which an ES module does not have.
    banner: { js: "import { createRequire as __gwCreateRequire } from 'node:module'; const require = __gwCreateRequire(import.meta.url);" },
    // Fastify and avvio name plugins and errors after functions; esbuild's renaming of
    // clashing top-level names must not change them.
    keepNames: true,
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'linked',
    logLevel: 'warning',
  });
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === import.meta.filename) {
  await bundle(resolve(root, process.argv[2] ?? 'dist'));
}
