// The project's functions as Supabase's MCP tools describe them (EdgeFunction), read from
// the functions folder through the functions family's own catalogue, plus their files.
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { readProject, walkFiles, type FunctionSpec } from '../../functions/project/catalogue.ts';

export type EdgeFunction = {
  id: string;
  slug: string;
  name: string;
  status: 'ACTIVE';
  /** Seconds of the newest change: it grows with each deploy. */
  version: number;
  created_at?: number;
  updated_at?: number;
  verify_jwt: boolean;
  import_map: boolean;
  import_map_path?: string;
  entrypoint_path: string;
};

const MAX_FILE_BYTES = 1_000_000;
const MAX_FILES = 200;

/** Files of a function folder (relative names, `/`-separated), skipping dot-folders and node_modules. */
export function functionFiles(dir: string): Array<{ name: string; path: string; mtimeMs: number; birthtimeMs: number; size: number }> {
  const out: Array<{ name: string; path: string; mtimeMs: number; birthtimeMs: number; size: number }> = [];
  walkFiles(dir, (p, st) => {
    if (out.length < MAX_FILES) out.push({ name: relative(dir, p).split(sep).join('/'), path: p, mtimeMs: st.mtimeMs, birthtimeMs: st.birthtimeMs, size: st.size });
  });
  return out;
}

function describe(spec: FunctionSpec, supabaseDir: string): EdgeFunction {
  const files = functionFiles(spec.dir);
  const updated = Math.max(0, ...files.map((f) => f.mtimeMs));
  const created = Math.min(...files.map((f) => f.birthtimeMs || f.mtimeMs), updated);
  const rel = (p: string) => `./${relative(supabaseDir, p).split(sep).join('/')}`;
  return {
    id: spec.name,
    slug: spec.name,
    name: spec.name,
    status: 'ACTIVE',
    version: Math.floor(updated / 1000),
    created_at: Math.round(created),
    updated_at: Math.round(updated),
    verify_jwt: spec.verifyJwt,
    import_map: spec.importMap !== undefined,
    ...(spec.importMap === undefined ? {} : { import_map_path: rel(spec.importMap) }),
    entrypoint_path: rel(spec.entry),
  };
}

export function listEdgeFunctions(functionsDir: string, verifyJwtDefault: boolean): EdgeFunction[] {
  const project = readProject(functionsDir, verifyJwtDefault);
  return [...project.functions.values()].sort((a, b) => a.name.localeCompare(b.name)).map((s) => describe(s, join(functionsDir, '..')));
}

export function getEdgeFunction(functionsDir: string, verifyJwtDefault: boolean, slug: string): (EdgeFunction & { files: Array<{ name: string; content: string }> }) | undefined {
  const spec = readProject(functionsDir, verifyJwtDefault).functions.get(slug);
  if (spec === undefined) return undefined;
  const files = functionFiles(spec.dir)
    .filter((f) => f.size <= MAX_FILE_BYTES)
    .map((f) => ({ name: f.name, content: readFileSync(f.path, 'utf8') }));
  return { ...describe(spec, join(functionsDir, '..')), files };
}
