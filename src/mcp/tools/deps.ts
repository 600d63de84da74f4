// What the tools reach: the databases and the project's folders and addresses. Built once
// per server from the module context (HTTP) or the CLI (stdio).
import type { Config } from '../../config/load.ts';
import { sql } from '../../lib/sql.ts';
import { packageRoot } from '../docs/search.ts';
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

/** The deps from the config, for the HTTP module and the stdio command alike. */
export function mcpDeps(config: Config, db: ToolDatabases, anonKey: string, projectUrl: () => string): McpDeps {
  return {
    db,
    projectDir: config.projectDir,
    functionsDir: config.functions.dir,
    functionsVerifyJwt: config.functions.verifyJwt,
    exposedSchemas: config.rest.schemas,
    projectUrl,
    anonKey,
    docsDir: packageRoot(),
    schemaChanged: async () => {
      await db.admin.query(sql`select pg_notify('pgrst', 'reload schema')`);
    },
  };
}
