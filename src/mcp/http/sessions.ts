// The MCP sessions this node holds. A session is one SDK server and its Streamable HTTP
// transport, kept between requests so the server can ask the client things mid-call (the
// confirmation of destructive SQL is an elicitation request on the call's event stream,
// answered by the client's next POST). Sessions live in this process: behind a load
// balancer, route a session's requests to one node (the `Mcp-Session-Id` header). Idle ones
// end after `idleMs`; at most `max` at once.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

export interface Session {
  readonly transport: StreamableHTTPServerTransport;
  readonly server: McpServer;
  readonly owner: string;
  lastSeen: number;
}

export class Sessions {
  private readonly byId = new Map<string, Session>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    readonly max: number,
    private readonly idleMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.sweeper = setInterval(() => void this.sweep(), Math.min(60_000, Math.max(1000, idleMs / 2)));
    this.sweeper.unref();
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): Session | undefined {
    const s = this.byId.get(id);
    if (s !== undefined) s.lastSeen = this.now();
    return s;
  }

  add(id: string, session: Session): void {
    this.byId.set(id, session);
  }

  async end(id: string): Promise<void> {
    const s = this.byId.get(id);
    if (s === undefined) return;
    this.byId.delete(id);
    await s.server.close().catch(() => undefined);
  }

  async sweep(): Promise<void> {
    const cutoff = this.now() - this.idleMs;
    await Promise.all([...this.byId].filter(([, s]) => s.lastSeen < cutoff).map(([id]) => this.end(id)));
  }

  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.byId.keys()].map((id) => this.end(id)));
  }
}
