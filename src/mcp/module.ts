// The MCP server as a module: Supabase's MCP tools for this one project at /mcp, with the
// service-role key (operator sessions) or a signed-in user's token (per-user sessions under
// RLS). `groundwork mcp` serves the same tools over stdio (src/cli/mcp-command.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/load.ts';
import type { ApiModule } from '../http/module.ts';
import { packageRoot } from './docs/search.ts';
import { mcpErrors } from './errors.ts';
import { registerMcpRoutes } from './http/routes.ts';
import { Sessions } from './http/sessions.ts';
import { mcpDeps } from './tools/deps.ts';

type McpConfig = Config['mcp'];

/** This package's version, for the server's `serverInfo`. */
export function packageVersion(root: string = packageRoot()): string {
  try {
    return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const mcpModule: ApiModule<McpConfig> = {
  name: 'mcp',
  errors: mcpErrors,
  settings: (config) => config.mcp,
  register(http, ctx) {
    if (!ctx.settings.enabled) return;
    const sessions = new Sessions(ctx.settings.maxSessions, ctx.settings.idleMs);
    // Before the server waits for open requests: a session's event stream would hold it open.
    http.addHook('preClose', async () => sessions.closeAll());
    registerMcpRoutes(http, {
      tools: mcpDeps(ctx.config, { admin: ctx.db.admin, api: ctx.db.api }, ctx.apiKeys.anon, ctx.externalUrl),
      sessions,
      forcedReadOnly: ctx.settings.readOnly,
      version: packageVersion(),
      verify: ctx.verifyToken,
      anonRole: ctx.config.rest.anonRole,
      usersAllowed: ctx.settings.users,
    });
  },
};
