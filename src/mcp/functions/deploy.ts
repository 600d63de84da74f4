// `deploy_edge_function`: writes a function's files into the functions folder, replacing the
// folder as a whole (written beside it, then swapped in, so the watcher never sees half a
// deploy), and records `verify_jwt`, the entrypoint and a non-default import map in
// supabase/config.toml as `supabase functions deploy` would read them. The functions family's
// watcher then restarts the function's worker.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FUNCTION_NAME } from '../../functions/parse/route.ts';
import { ToolError } from '../tools/types.ts';
import { setFunctionKey } from './toml-edit.ts';

export interface DeployInput {
  readonly name: string;
  readonly entrypoint_path: string;
  readonly import_map_path?: string | undefined;
  readonly verify_jwt: boolean;
  readonly files: ReadonlyArray<{ readonly name: string; readonly content: string }>;
}

const MAX_TOTAL_BYTES = 10_000_000;
const MAX_FILES = 200;
const OWN_MAPS = new Set(['deno.json', 'deno.jsonc', 'import_map.json']);

/** A file name inside the function folder: relative, `/`-separated, no `..`, no dot-files. */
function cleanName(name: string): string {
  const n = name.replace(/^\.\//, '').replace(/^source\//, '');
  const parts = n.split('/');
  if (n === '' || n.startsWith('/') || n.includes('\\') || n.includes('\0') || parts.some((p) => p === '' || p === '..' || p.startsWith('.'))) {
    throw new ToolError(`file name ${JSON.stringify(name)} must be a relative path inside the function's folder (no "..", no dot-files)`);
  }
  return n;
}

export function deployFunction(functionsDir: string, input: DeployInput): void {
  if (!FUNCTION_NAME.test(input.name)) throw new ToolError(`function name ${JSON.stringify(input.name)} must use letters, digits, '-' and '_' and start with a letter or digit`);
  const files = input.files.map((f) => ({ name: cleanName(f.name), content: f.content }));
  const entry = cleanName(input.entrypoint_path);
  if (files.length === 0 || files.length > MAX_FILES) throw new ToolError(`a function needs between 1 and ${MAX_FILES} files`);
  if (new Set(files.map((f) => f.name)).size !== files.length) throw new ToolError('two files have the same name');
  if (!files.some((f) => f.name === entry)) throw new ToolError(`the entrypoint ${entry} is not among the files`);
  const total = files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
  if (total > MAX_TOTAL_BYTES) throw new ToolError(`the files total ${total} bytes; at most ${MAX_TOTAL_BYTES} are accepted`);
  const importMap = input.import_map_path === undefined ? undefined : cleanName(input.import_map_path);
  if (importMap !== undefined && !files.some((f) => f.name === importMap)) throw new ToolError(`the import map ${importMap} is not among the files`);

  mkdirSync(functionsDir, { recursive: true });
  const target = join(functionsDir, input.name);
  const staging = join(functionsDir, `.deploy-${input.name}-${randomBytes(4).toString('hex')}`);
  const retired = `${staging}-old`;
  try {
    for (const f of files) {
      const path = join(staging, f.name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, f.content);
    }
    if (existsSync(target)) renameSync(target, retired);
    renameSync(staging, target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(retired, { recursive: true, force: true });
  }

  const toml = join(functionsDir, '..', 'config.toml');
  let text = existsSync(toml) ? readFileSync(toml, 'utf8') : '';
  text = setFunctionKey(text, input.name, 'verify_jwt', input.verify_jwt);
  text = setFunctionKey(text, input.name, 'entrypoint', `./functions/${input.name}/${entry}`);
  if (importMap !== undefined && !OWN_MAPS.has(importMap)) text = setFunctionKey(text, input.name, 'import_map', `./functions/${input.name}/${importMap}`);
  writeFileSync(toml, text);
}
