// What a tool is, independent of the transport: its Supabase name, the feature group it
// belongs to, its annotations, zod shapes for input and output, and `run`. The server
// (src/mcp/server.ts) turns a list of these into an MCP server; each tool gets the deps it
// needs from `ToolContext`, built per session by the HTTP route or the stdio command.
import type { z } from 'zod';
import type { Caller, Database } from '../../db/port.ts';

/** Supabase's feature groups that apply to one self-hosted project (no account, branching, storage). */
export type FeatureGroup = 'docs' | 'database' | 'debugging' | 'development' | 'functions';
export const FEATURE_GROUPS: readonly FeatureGroup[] = ['docs', 'database', 'debugging', 'development', 'functions'];

/** Who the session acts for: the project's operator (service-role key), or one signed-in user under RLS. */
export type Principal = { readonly kind: 'service' } | { readonly kind: 'user'; readonly caller: Caller };

export interface ToolAnnotations {
  readonly title: string;
  readonly readOnlyHint: boolean;
  readonly destructiveHint: boolean;
  readonly idempotentHint: boolean;
  readonly openWorldHint: boolean;
}

/** Asks the person at the client to confirm; false when they declined or cannot be asked. */
export type Confirm = (message: string) => Promise<'accepted' | 'declined' | 'unsupported'>;

export interface ToolContext {
  readonly principal: Principal;
  readonly readOnly: boolean;
  readonly confirm: Confirm;
  readonly signal: AbortSignal | undefined;
}

export interface ToolDef<I extends z.ZodRawShape = z.ZodRawShape, O extends z.ZodRawShape = z.ZodRawShape> {
  readonly name: string;
  readonly group: FeatureGroup;
  readonly description: string;
  readonly annotations: ToolAnnotations;
  /** Changes something: hidden and refused in read-only mode. */
  readonly mutating: boolean;
  /** Offered to a per-user session (runs as that user under RLS). */
  readonly forUsers: boolean;
  readonly input: I;
  readonly output: O;
  run(args: z.infer<z.ZodObject<I>>, ctx: ToolContext): Promise<z.infer<z.ZodObject<O>>>;
}

/** A failure a tool reports to the model (Supabase sends `{error: {name, message}}`). */
export class ToolError extends Error {
  override readonly name: string = 'ToolError';
}

/** The database connections tools use. */
export interface ToolDatabases {
  /** The operator's connection (migrations, catalog reads, operator SQL). */
  readonly admin: Database;
  /** Requests as a caller's role (a per-user session's SQL). */
  readonly api: Database;
}

export const readOnlyTool = (title: string): ToolAnnotations => ({ title, readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false });

/** A tool with its arguments typed from its input shape. */
export function tool<I extends z.ZodRawShape, O extends z.ZodRawShape>(def: ToolDef<I, O>): ToolDef {
  return def;
}
