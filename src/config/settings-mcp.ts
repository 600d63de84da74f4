// The MCP server at /mcp (and `groundwork mcp`): whether it is on, a server-wide read-only
// mode, per-user sessions, and how many sessions a node keeps. Part of the one settings
// table in settings.ts.
import { bool, positive } from './schemas.ts';

export const mcpSettings = {
  mcp: {
    env: 'GROUNDWORK_MCP',
    flag: 'mcp',
    default: 'true',
    doc: 'Serves the MCP server at `/mcp` (Streamable HTTP; the service-role key or a signed-in user’s token required).',
    schema: bool,
  },
  mcpReadOnly: {
    env: 'GROUNDWORK_MCP_READ_ONLY',
    flag: 'mcp-read-only',
    default: 'false',
    doc: 'Every MCP session is read-only: tools that change things are hidden and refused, and `execute_sql` runs in a read-only transaction (a session may also ask with `?read_only=true`).',
    schema: bool,
  },
  mcpUsers: {
    env: 'GROUNDWORK_MCP_USERS',
    flag: 'mcp-users',
    default: 'true',
    doc: 'A signed-in user’s access token opens a per-user MCP session whose tools run as that user under RLS (`false`: only the service-role key).',
    schema: bool,
  },
  mcpMaxSessions: {
    env: 'GROUNDWORK_MCP_MAX_SESSIONS',
    flag: 'mcp-max-sessions',
    default: '100',
    doc: 'MCP sessions one node keeps at once; past it, new sessions are answered 503.',
    schema: positive,
  },
  mcpIdleMs: {
    env: 'GROUNDWORK_MCP_IDLE_MS',
    flag: 'mcp-idle-ms',
    default: '1800000',
    doc: 'An MCP session without requests for this long ends.',
    schema: positive,
  },
} as const;
