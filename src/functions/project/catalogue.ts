// Plan stage: the project's functions as the Supabase CLI lays them out, read from disk once
// per change of the folder (the watcher says when). `supabase/functions/<name>/index.ts`
// (or the `entrypoint` config.toml gives) is a function; `_`- and `.`-led folders are not;
// `enabled = false` hides one; `verify_jwt` and `import_map` come from config.toml, else
// the defaults and the function's own `deno.json`.
import { existsSync, readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { parseDotenv } from '../../config/dotenv.ts';
import { parseFunctionsToml, type FunctionToml } from './config-toml.ts';

export interface FunctionSpec {
  readonly name: string;
  readonly dir: string;
  /** Absolute path of the entry module. */
  readonly entry: string;
  readonly verifyJwt: boolean;
  /** The function's own import map file (a deno.json or import_map.json), if any. */
  readonly importMap: string | undefined;
}

export interface FunctionsProject {
  readonly dir: string;
  readonly functions: ReadonlyMap<string, FunctionSpec>;
  /** `supabase/functions/.env`: the functions' local secrets. */
  readonly env: Readonly<Record<string, string>>;
  /** A config.toml problem: every function answers BOOT_ERROR until it is fixed. */
  readonly problem: string | undefined;
}

const ENTRIES = ['index.ts', 'index.js', 'index.tsx', 'index.jsx', 'index.mjs'];
const OWN_MAPS = ['deno.json', 'deno.jsonc', 'import_map.json'];
const SHARED_MAPS = ['import_map.json', 'deno.json', 'deno.jsonc'];
const SOURCE = new Set(['.ts', '.js', '.tsx', '.jsx', '.mjs', '.mts']);

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function subfolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('_') && !d.name.startsWith('.'))
      .map((d) => d.name);
  } catch {
    return [];
  }
}

function spec(name: string, dir: string, supabaseDir: string, toml: FunctionToml | undefined, verifyJwtDefault: boolean): FunctionSpec | undefined {
  if (toml?.enabled === false) return undefined;
  const folder = join(dir, name);
  const entry = toml?.entrypoint !== undefined ? resolve(supabaseDir, toml.entrypoint) : ENTRIES.map((f) => join(folder, f)).find((p) => existsSync(p));
  if (entry === undefined) return undefined;
  const importMap =
    toml?.importMap !== undefined
      ? resolve(supabaseDir, toml.importMap)
      : (OWN_MAPS.map((f) => join(folder, f)).find((p) => existsSync(p)) ?? SHARED_MAPS.map((f) => join(dir, f)).find((p) => existsSync(p)));
  return { name, dir: folder, entry, verifyJwt: toml?.verifyJwt ?? verifyJwtDefault, importMap };
}

export function readProject(dir: string, verifyJwtDefault: boolean): FunctionsProject {
  const supabaseDir = dirname(dir);
  const tomlText = readText(join(supabaseDir, 'config.toml'));
  const toml = tomlText === undefined ? new Map<string, FunctionToml>() : parseFunctionsToml(tomlText);
  const problem = 'error' in toml ? (toml.error as string) : undefined;
  const settings = 'error' in toml ? new Map<string, FunctionToml>() : toml;
  const functions = new Map<string, FunctionSpec>();
  for (const name of subfolders(dir)) {
    const s = spec(name, dir, supabaseDir, settings.get(name), verifyJwtDefault);
    if (s !== undefined) functions.set(name, s);
  }
  return { dir, functions, env: parseDotenv(readText(join(dir, '.env')) ?? ''), problem };
}

/** Visits the files under `dir` (sorted, at most 8 folders deep), skipping dot-entries and node_modules. */
export function walkFiles(dir: string, visit: (path: string, stat: Stats) => void): void {
  const walk = (d: string, depth: number) => {
    if (depth > 8) return;
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const n of names) {
      if (n.startsWith('.') || n === 'node_modules') continue;
      const p = join(d, n);
      const st = statSync(p, { throwIfNoEntry: false });
      if (st?.isDirectory() === true) walk(p, depth + 1);
      else if (st?.isFile() === true) visit(p, st);
    }
  };
  walk(dir, 0);
}

/** Every source file's text under the functions folder (where stand-in specifiers are looked for). */
export function sourceTexts(dir: string): string[] {
  const out: string[] = [];
  walkFiles(dir, (p, st) => {
    if (SOURCE.has(extname(p)) && st.size < 2_000_000) out.push(readText(p) ?? '');
  });
  return out;
}

/** The function's import map file, parsed (JSONC comments allowed, as deno.json permits). */
export function readImportMapFile(path: string): unknown {
  const text = readText(path);
  if (text === undefined) throw new Error(`${path} cannot be read`);
  // Drops // and /* */ comments outside strings, then trailing commas.
  const stripped = text.replace(/("(?:\\.|[^"\\])*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (m, str: string | undefined) => str ?? '').replace(/,(\s*[}\]])/g, '$1');
  try {
    return JSON.parse(stripped) as unknown;
  } catch (e) {
    throw new Error(`${path} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}
