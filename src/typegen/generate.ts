// `gen types typescript`: the TypeScript types of a database's schemas, byte for byte the
// file `supabase gen types typescript --local` prints for the same database. Introspection
// (one round trip) → model → text → formatted text.
import type { Database } from '../db/port.ts';
import { formatTypescript } from './format.ts';
import { HELPER_TYPES } from './helpers-text.ts';
import { introspect } from './introspect.ts';
import type { TypegenModel } from './model.ts';
import { renderTypes } from './render.ts';

export interface TypescriptOptions {
  /** The schemas to generate, e.g. `['public']`. */
  readonly schemas: readonly string[];
  /**
   * Writes the `__InternalSupabase` block with this PostgREST version, which supabase-js reads
   * to pick version-specific typing. The CLI's `--local` output has none (the default); the
   * Supabase platform's has one.
   */
  readonly postgrestVersion?: string;
  /** `isOneToOne` on relationships (default true; the CLI leaves it out with `--postgrest-v9-compat`). */
  readonly detectOneToOne?: boolean;
}

/** The file for a model: formatted `Json` and `Database`, the helper types, formatted `Constants`. */
export async function typescriptFromModel(model: TypegenModel, options: Omit<TypescriptOptions, 'schemas'> = {}): Promise<string> {
  const { database, constants } = renderTypes(model, { detectOneToOne: options.detectOneToOne ?? true, postgrestVersion: options.postgrestVersion });
  const [head, tail] = await Promise.all([formatTypescript(database), formatTypescript(constants)]);
  return `${head}\n${HELPER_TYPES}${tail}`;
}

/**
 * The generated file's text (ending in a newline). The CLI prints it followed by one more
 * newline, as the Supabase CLI does. Pass a connection that sees the schemas' objects, such as
 * the admin one: relations and columns the role may not use are left out.
 */
export async function generateTypescriptTypes(db: Database, options: TypescriptOptions): Promise<string> {
  const model = await introspect(db, options.schemas);
  return typescriptFromModel(model, options);
}
