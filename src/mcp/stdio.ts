// The same MCP server over stdio (`groundwork mcp`), for clients that launch a command
// rather than reach a URL: newline-delimited JSON-RPC on stdin and stdout, one session for
// the life of the process. Who it acts for comes from the command line (the operator, or a
// user's access token), checked once at start.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Readable, Writable } from 'node:stream';
import { buildMcpServer, type SessionOptions } from './server.ts';
import type { ToolDef } from './tools/types.ts';

export interface StdioSession {
  /** Resolves when the client closes stdin (or the transport fails). */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

export async function serveStdio(tools: readonly ToolDef[], options: SessionOptions, version: string, io: { input?: Readable; output?: Writable } = {}): Promise<StdioSession> {
  const server = buildMcpServer(tools, options, version);
  const transport = new StdioServerTransport(io.input, io.output);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
  });
  (io.input ?? process.stdin).once('end', () => void server.close());
  await server.connect(transport);
  return { closed, close: () => server.close() };
}
