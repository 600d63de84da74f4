// `groundwork mcp`: the MCP tools over stdio, for clients configured with a command. Opens
// the database like the other commands (through a running embedded start's database port
// when it holds the data directory) and serves one session until stdin closes. As the
// operator by default; `--user-token` makes it a per-user session under RLS.
import type { Config } from '../config/load.ts';
import { deriveApiKeys } from '../keys/api-keys.ts';
import { createTokenVerifier } from '../keys/verify-token.ts';
import { readKeySet, resolveJwtSecret } from '../app/secrets.ts';
import { ApiError } from '../errors/api-error.ts';
import { identify } from '../mcp/gateway/principal.ts';
import { packageVersion } from '../mcp/module.ts';
import { parseOptions } from '../mcp/parse/options.ts';
import { serveStdio } from '../mcp/stdio.ts';
import { allTools } from '../mcp/tools/catalogue.ts';
import { mcpDeps } from '../mcp/tools/deps.ts';
import { UsageError } from './args.ts';
import type { CliIo } from './commands.ts';
import { withCliDatabase } from './cli-database.ts';

export interface McpFlags {
  readonly readOnly: boolean;
  readonly features: string | undefined;
  readonly userToken: string | undefined;
}

export async function runMcp(config: Config, io: CliIo, flags: McpFlags): Promise<void> {
  const options = parseOptions({ read_only: String(flags.readOnly), ...(flags.features === undefined ? {} : { features: flags.features }) }, config.mcp.readOnly);
  if ('problem' in options) throw new UsageError(`--${options.problem.name.replace('_', '-')}: ${options.problem.message}`, 'mcp');
  const secret = resolveJwtSecret(config);
  const keys = await deriveApiKeys(secret);
  const who =
    flags.userToken === undefined
      ? { principal: { kind: 'service' } as const }
      : await identify({ authorization: `Bearer ${flags.userToken}` }, { verify: createTokenVerifier(secret, readKeySet(config), { audience: config.jwtAud }), anonRole: config.rest.anonRole, usersAllowed: config.mcp.users });
  if (who instanceof ApiError) throw new UsageError(`--user-token: ${who.message}`, 'mcp');
  await withCliDatabase(config, io, async (db) => {
    const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
    // The admin connection serves both: a user's SQL runs in it as their role and claims (src/mcp/parse/sql-guard.ts keeps it there).
    const tools = allTools(mcpDeps(config, { admin: db, api: db }, keys.anon, () => `http://${host}:${config.port}`));
    const session = await serveStdio(tools, { principal: who.principal, ...options }, packageVersion());
    io.progress(`groundwork mcp: serving ${who.principal.kind === 'service' ? 'the operator' : 'a per-user'} session on stdio${options.readOnly ? ' (read-only)' : ''}\n`);
    await session.closed;
  });
}
