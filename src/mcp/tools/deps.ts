// What the tools reach: the databases and the project's folders and addresses. Built once
// per server from the module context (HTTP) or the CLI (stdio).
import type { ToolDatabases } from './types.ts';

export interface McpDeps {
  readonly db: ToolDatabases;
  /** The project folder: supabase/migrations, supabase/functions, supabase/config.toml. */
  readonly projectDir: string;
  readonly functionsDir: string;
  /** Whether functions require a JWT unless config.toml says otherwise. */
  readonly functionsVerifyJwt: boolean;
  /** The schemas the REST API exposes (advisors, type generation). */
  readonly exposedSchemas: readonly string[];
  /** The API's URL as clients reach it. */
  readonly projectUrl: () => string;
  readonly anonKey: string;
  /** Where Groundwork's own documentation lives (`search_docs`). */
  readonly docsDir: string;
  /** After a migration: running servers reload their schema cache. */
  readonly schemaChanged: () => Promise<void>;
}
