// The import map a function runs with: its own (a `deno.json`'s `imports`/`scopes`, or an
// `import_map.json`), with relative addresses made absolute, plus offline stand-ins for the
// remote modules Supabase templates import. This machine's functions may only reach the npm
// registry, so `https://deno.land/std@<v>/http/server.ts` maps to a local `serve`, the
// CLI template's `jsr:@supabase/functions-js/edge-runtime.d.ts` to local types, and
// `jsr:@supabase/<pkg>` and `https://esm.sh/<pkg>` to the same package on npm.
import { pathToFileURL } from 'node:url';

export interface ImportMap {
  readonly imports: Readonly<Record<string, string>>;
  readonly scopes?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** File URLs of the stand-ins shipped in src/functions/runtime/deno/. */
export interface Shims {
  readonly stdHttpServer: string;
  readonly edgeRuntimeTypes: string;
}

const STD_HTTP_SERVER = /^https:\/\/deno\.land\/std(?:@[^/]+)?\/http\/server\.ts$/;
const EDGE_RUNTIME_TYPES = /^jsr:@supabase\/functions-js(?:@[^/]+)?\/edge-runtime\.d\.ts$/;
const JSR_SUPABASE = /^jsr:(@supabase\/[^/@]+(?:@[^/]+)?(?:\/.*)?)$/;
const ESM_SH = /^https:\/\/esm\.sh\/(?:v\d+\/|stable\/)?((?:@[^/?#]+\/)?[^/?#]+(?:\/[^?#]*)?)(?:[?#].*)?$/;

/** Where a specifier resolves offline, or undefined when it needs no stand-in. */
export function offlineTarget(specifier: string, shims: Shims): string | undefined {
  if (STD_HTTP_SERVER.test(specifier)) return shims.stdHttpServer;
  if (EDGE_RUNTIME_TYPES.test(specifier)) return shims.edgeRuntimeTypes;
  const jsr = JSR_SUPABASE.exec(specifier);
  if (jsr !== null) return `npm:${jsr[1]}`;
  const esm = ESM_SH.exec(specifier);
  if (esm !== null) return `npm:${esm[1]}`;
  return undefined;
}

// String literals that look like module specifiers the stand-ins cover.
const CANDIDATE = /["'`]((?:https:\/\/(?:deno\.land\/std|esm\.sh\/)|jsr:@supabase\/)[^"'`\s]*)["'`]/g;

/** The specifiers in a source file's text that have an offline stand-in. */
export function remoteSpecifiers(source: string, shims: Shims): string[] {
  return [...source.matchAll(CANDIDATE)].map((m) => m[1] ?? '').filter((s) => offlineTarget(s, shims) !== undefined);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An address relative to the map file (`./x`, `../x`, `/x`) made absolute; others as given (npm:, jsr:, https:). */
function absolute(address: string, base: URL, shims: Shims): string {
  const offline = offlineTarget(address, shims);
  if (offline !== undefined) return offline;
  return /^\.{0,2}\//.test(address) ? new URL(address, base).href : address;
}

function entries(table: unknown, base: URL, shims: Shims, where: string): Record<string, string> {
  if (table === undefined) return {};
  if (!isRecord(table)) throw new Error(`${where} must be an object of specifiers`);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(table)) {
    if (typeof value !== 'string') throw new Error(`${where}.${key} must be a string`);
    out[/^\.{0,2}\//.test(key) ? new URL(key, base).href : key] = absolute(value, base, shims);
  }
  return out;
}

/**
 * The map to run with: `own` is the parsed JSON of the function's map file at `ownPath`
 * (undefined: none), `found` the specifiers its sources use. A bad map file is an error.
 */
export function buildImportMap(own: unknown, ownPath: string | undefined, found: Iterable<string>, shims: Shims): ImportMap {
  const imports: Record<string, string> = {};
  for (const specifier of found) {
    const target = offlineTarget(specifier, shims);
    if (target !== undefined) imports[specifier] = target;
  }
  if (own === undefined || ownPath === undefined) return { imports };
  if (!isRecord(own)) throw new Error(`${ownPath} must hold a JSON object`);
  const base = pathToFileURL(ownPath);
  Object.assign(imports, entries(own['imports'], base, shims, 'imports'));
  if (own['scopes'] === undefined) return { imports };
  if (!isRecord(own['scopes'])) throw new Error(`${ownPath}: scopes must be an object`);
  const scopes: Record<string, Record<string, string>> = {};
  for (const [scope, table] of Object.entries(own['scopes'])) scopes[new URL(scope, base).href] = entries(table, base, shims, `scopes.${scope}`);
  return { imports, scopes };
}
