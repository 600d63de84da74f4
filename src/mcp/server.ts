// Builds one MCP server (the SDK's McpServer) for one session: the tools its options allow
// (feature groups; read-only hides what changes things; a per-user session gets only the
// tools that run as that user), each answering as Supabase's server does: the output as
// JSON text (and as structured content, which the output schemas describe), failures as an
// `isError` result carrying `{"error": {"name", "message"}}`.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { DbError } from '../db/errors.ts';
import type { Confirm, FeatureGroup, Principal, ToolDef } from './tools/types.ts';

export interface SessionOptions {
  readonly principal: Principal;
  readonly readOnly: boolean;
  readonly features: ReadonlySet<FeatureGroup>;
}

const INSTRUCTIONS = [
  'This server manages one Groundwork project: a Supabase-compatible backend (PostgreSQL with REST, Auth, Realtime, Edge Functions).',
  'Call list_tables before changing the schema, and make schema changes with apply_migration so they are recorded as migration files.',
  'When something fails, look at get_logs and get_advisors first.',
  'To configure a client app, use get_project_url and get_publishable_keys.',
].join(' ');

/** The tools a session may see and call. */
export function toolsFor(tools: readonly ToolDef[], options: SessionOptions): ToolDef[] {
  return tools.filter((t) => options.features.has(t.group) && !(options.readOnly && t.mutating) && (options.principal.kind === 'service' || t.forUsers));
}

function failure(error: unknown): CallToolResult {
  const e = error instanceof Error ? { name: error instanceof DbError ? 'PostgresError' : error.name, message: error.message } : { name: 'Error', message: String(error) };
  return { isError: true, content: [{ type: 'text', text: JSON.stringify({ error: e }) }] };
}

function success(out: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(out) }], structuredContent: out };
}

export function buildMcpServer(tools: readonly ToolDef[], options: SessionOptions, version: string): McpServer {
  const server = new McpServer({ name: 'groundwork', title: 'Groundwork', version }, { capabilities: { tools: {} }, instructions: INSTRUCTIONS });
  const confirm: Confirm = async (message) => {
    if (server.server.getClientCapabilities()?.elicitation === undefined) return 'unsupported';
    const answer = await server.server.elicitInput({
      message,
      requestedSchema: { type: 'object', properties: { confirm: { type: 'boolean', title: 'Run it', description: 'Yes, run this SQL' } }, required: ['confirm'] },
    });
    return answer.action === 'accept' && answer.content?.['confirm'] === true ? 'accepted' : 'declined';
  };
  for (const def of toolsFor(tools, options)) {
    const annotations = def.name === 'execute_sql' ? { ...def.annotations, readOnlyHint: options.readOnly } : def.annotations;
    server.registerTool(
      def.name,
      { title: def.annotations.title, description: def.description, inputSchema: z.object(def.input).strict(), outputSchema: z.object(def.output), annotations },
      async (args: Record<string, unknown>, extra) => {
        try {
          const out = await def.run(args, { principal: options.principal, readOnly: options.readOnly, confirm, signal: extra.signal });
          return success(out);
        } catch (e) {
          return failure(e);
        }
      },
    );
  }
  return server;
}
