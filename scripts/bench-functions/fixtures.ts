// The functions bench's fixtures: a throwaway project folder holding the functions (a
// trivial `Deno.serve`, and one that imports supabase-js from npm), the same two as bare
// Deno scripts for the floor, the Deno settings every run shares, and the small table the
// REST reads go to.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { root, sleep } from '../bench-jobs/common.ts';

/** A trivial function, as the issue names it. */
export const TRIVIAL = `Deno.serve(() => new Response('ok'));\n`;

/** A function that loads supabase-js from npm and makes a client at start, as many do. */
export const WITH_SUPABASE_JS = `import { createClient } from 'npm:@supabase/supabase-js@2';

const client = createClient(Deno.env.get('SUPABASE_URL') ?? 'http://127.0.0.1', Deno.env.get('SUPABASE_ANON_KEY') ?? 'anon');

Deno.serve(() => new Response(typeof client.from));
`;

/** The floor: what a bare Deno does with the same code, serving on the Unix socket it is given. */
const bare = (code: string) => `${code.replace(/Deno\.serve\(/, "Deno.serve({ path: Deno.args[0] ?? '', onListen: () => console.log('ready') }, ")}`;

/** The functions folder Groundwork is pointed at, and the floor's scripts beside it. */
export interface Project {
  /** `<project>/supabase/functions`. */
  readonly functionsDir: string;
  /** The entry file of each function by name. */
  entry(name: string): string;
  /** The bare Deno script of each function by name. */
  bareScript(name: string): string;
  remove(): void;
}

export function makeProject(functions: Readonly<Record<string, string>>): Project {
  const dir = mkdtempSync(join(tmpdir(), 'gw-bench-fn-'));
  const functionsDir = join(dir, 'supabase/functions');
  for (const [name, code] of Object.entries(functions)) {
    mkdirSync(join(functionsDir, name), { recursive: true });
    writeFileSync(join(functionsDir, name, 'index.ts'), code);
    mkdirSync(join(dir, 'bare', name), { recursive: true });
    writeFileSync(join(dir, 'bare', name, 'main.ts'), bare(code));
  }
  return {
    functionsDir,
    entry: (name) => join(functionsDir, name, 'index.ts'),
    bareScript: (name) => join(dir, 'bare', name, 'main.ts'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * What Deno runs with, here and in Groundwork's workers: one module cache shared by every run
 * (DENO_DIR, else node_modules/.cache/groundwork-deno, as the tests use) so npm packages
 * download once, and npm's registry when one is set.
 */
export function denoEnv(): Record<string, string> {
  const registry = process.env.NPM_CONFIG_REGISTRY ?? process.env.npm_config_registry;
  return {
    DENO_DIR: process.env.DENO_DIR ?? join(root, 'node_modules/.cache/groundwork-deno'),
    ...(registry === undefined || registry === '' ? {} : { NPM_CONFIG_REGISTRY: registry }),
  };
}

export const TABLE = 'bench_items';

/** A ten-row table anon may read, created through `dbUrl`, and the schema cache reloaded until REST sees it. */
export async function createTable(dbUrl: string, restUrl: string, anonKey: string): Promise<void> {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => undefined });
  try {
    await sql.unsafe(`
      create table if not exists public.${TABLE} (id int primary key, name text not null);
      insert into public.${TABLE} select i, 'item ' || i from generate_series(1, 10) i on conflict do nothing;
      grant select on public.${TABLE} to anon, authenticated;
    `);
    await sql.unsafe(`notify pgrst, 'reload schema'`);
  } finally {
    await sql.end();
  }
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`${restUrl}/rest/v1/${TABLE}?select=*&limit=1`, { headers: { apikey: anonKey, authorization: `Bearer ${anonKey}` } }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`REST does not serve ${TABLE}`);
}
