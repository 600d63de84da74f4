// Every tool this server offers, in Supabase's order of groups. A session sees the subset
// its options and principal allow (src/mcp/server.ts `toolsFor`).
import { databaseTools } from './database.ts';
import { debuggingTools } from './debugging.ts';
import type { McpDeps } from './deps.ts';
import { developmentTools, docsTools } from './development.ts';
import { functionsTools } from './functions.ts';
import type { ToolDef } from './types.ts';

export function allTools(deps: McpDeps): ToolDef[] {
  return [...docsTools(deps), ...databaseTools(deps), ...debuggingTools(deps), ...developmentTools(deps), ...functionsTools(deps)];
}
