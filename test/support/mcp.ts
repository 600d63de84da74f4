// An MCP SDK client for tests: connects to a server's /mcp with a token (and optional query
// options), or to `groundwork mcp` over stdio, and reads tool results the way Supabase's
// clients do (the JSON text of the first content item).
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export interface McpClientOptions {
  readonly query?: string;
  /** Answers elicitation requests (confirmation of destructive SQL); absent: the client does not support them. */
  readonly elicit?: (message: string) => boolean;
}

export async function connectMcp(baseUrl: string, token: string, options: McpClientOptions = {}): Promise<Client> {
  const client = new Client({ name: 'groundwork-test', version: '1.0.0' }, { capabilities: options.elicit === undefined ? {} : { elicitation: { form: {} } } });
  if (options.elicit !== undefined) {
    const answer = options.elicit;
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      const message = 'message' in request.params ? request.params.message : '';
      return answer(message) ? { action: 'accept', content: { confirm: true } } : { action: 'decline' };
    });
  }
  const url = new URL(`/mcp${options.query ?? ''}`, baseUrl);
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  return client;
}

/** A tool's output: the parsed JSON text, which must agree with the structured content. */
export function output(result: unknown): Record<string, unknown> {
  const r = result as CallToolResult;
  assert.notEqual(r.isError, true, `tool failed: ${JSON.stringify(r.content)}`);
  const first = r.content[0];
  assert.ok(first !== undefined && first.type === 'text');
  const parsed = JSON.parse(first.text) as Record<string, unknown>;
  assert.deepEqual(r.structuredContent, parsed);
  return parsed;
}

/** A failed tool call's `{name, message}`, as Supabase's server reports failures. */
export function toolError(result: unknown): { name: string; message: string } {
  const r = result as CallToolResult;
  assert.equal(r.isError, true, `expected a failure, got ${JSON.stringify(r.content).slice(0, 300)}`);
  const first = r.content[0];
  assert.ok(first !== undefined && first.type === 'text');
  try {
    return (JSON.parse(first.text) as { error: { name: string; message: string } }).error;
  } catch {
    return { name: 'McpError', message: first.text };
  }
}

/** The rows inside execute_sql's untrusted-data boundaries. */
export function rowsOf(result: unknown): unknown[] {
  const text = String(output(result)['result']);
  const m = /<untrusted-data-([0-9a-f-]{36})>\n(.*)\n<\/untrusted-data-\1>/s.exec(text);
  assert.ok(m !== null, `no untrusted-data boundaries in ${text.slice(0, 200)}`);
  return JSON.parse(m[2] ?? '[]') as unknown[];
}
