// The `[functions.<name>]` tables of `supabase/config.toml`, as the Supabase CLI reads them:
// `enabled`, `verify_jwt`, `import_map` and `entrypoint` (paths relative to `supabase/`).
// Other tables and keys are the CLI's business and are left alone.
import { parse } from 'smol-toml';

export interface FunctionToml {
  readonly enabled?: boolean;
  readonly verifyJwt?: boolean;
  /** Relative to the `supabase/` folder, as written. */
  readonly importMap?: string;
  readonly entrypoint?: string;
}

export type FunctionsToml = ReadonlyMap<string, FunctionToml>;

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** Parses the file's text; a malformed file or a wrongly typed key is an error naming it. */
export function parseFunctionsToml(text: string): FunctionsToml | { readonly error: string } {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    return { error: `supabase/config.toml is not valid TOML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
  }
  const functions = isTable(doc) ? doc['functions'] : undefined;
  const result = new Map<string, FunctionToml>();
  if (functions === undefined) return result;
  if (!isTable(functions)) return { error: 'supabase/config.toml: [functions] must be a table of [functions.<name>] tables' };
  for (const [name, table] of Object.entries(functions)) {
    if (!isTable(table)) return { error: `supabase/config.toml: functions.${name} must be a table` };
    const entry: { enabled?: boolean; verifyJwt?: boolean; importMap?: string; entrypoint?: string } = {};
    for (const [key, field, type] of [
      ['enabled', 'enabled', 'boolean'],
      ['verify_jwt', 'verifyJwt', 'boolean'],
      ['import_map', 'importMap', 'string'],
      ['entrypoint', 'entrypoint', 'string'],
    ] as const) {
      const value = table[key];
      if (value === undefined) continue;
      if (typeof value !== type) return { error: `supabase/config.toml: functions.${name}.${key} must be a ${type}` };
      (entry as Record<string, unknown>)[field] = value;
    }
    result.set(name, entry);
  }
  return result;
}
