// The `functions` group: the project's Edge Functions folder, listed, read and deployed.
import { z } from 'zod';
import { getEdgeFunction, listEdgeFunctions } from '../functions/catalog.ts';
import { deployFunction } from '../functions/deploy.ts';
import type { McpDeps } from './deps.ts';
import { readOnlyTool, tool, ToolError, type ToolDef } from './types.ts';

const edgeFunction = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  status: z.string(),
  version: z.number(),
  created_at: z.number().optional(),
  updated_at: z.number().optional(),
  verify_jwt: z.boolean().optional(),
  import_map: z.boolean().optional(),
  import_map_path: z.string().optional(),
  entrypoint_path: z.string().optional(),
});

const EXAMPLE = `import "jsr:@supabase/functions-js/edge-runtime.d.ts";

Deno.serve(async (req: Request) => {
  const data = { message: "Hello there!" };
  return new Response(JSON.stringify(data), { headers: { "Content-Type": "application/json" } });
});`;

export function functionsTools(deps: McpDeps): ToolDef[] {
  return [
    tool({
      name: 'list_edge_functions',
      group: 'functions',
      description: 'Lists the Edge Functions of the project (the folders of supabase/functions).',
      annotations: readOnlyTool('List Edge Functions'),
      mutating: false,
      forUsers: false,
      input: {},
      output: { functions: z.array(edgeFunction) },
      run: async () => ({ functions: listEdgeFunctions(deps.functionsDir, deps.functionsVerifyJwt) }),
    }),
    tool({
      name: 'get_edge_function',
      group: 'functions',
      description: "Gets an Edge Function's settings and the contents of its files.",
      annotations: readOnlyTool('Get Edge Function'),
      mutating: false,
      forUsers: false,
      input: { function_slug: z.string().min(1) },
      output: { ...edgeFunction.shape, files: z.array(z.object({ name: z.string(), content: z.string() })) },
      async run({ function_slug }) {
        const found = getEdgeFunction(deps.functionsDir, deps.functionsVerifyJwt, function_slug);
        if (found === undefined) throw new ToolError(`Edge Function ${JSON.stringify(function_slug)} not found`);
        return found;
      },
    }),
    tool({
      name: 'deploy_edge_function',
      group: 'functions',
      description:
        `Deploys an Edge Function: writes its files into supabase/functions/<name>/ (replacing an earlier version) and serves it at /functions/v1/<name>. ` +
        `Include the entrypoint, deno.json (if any) and every file it imports relatively. Keep verify_jwt on unless the function already had it off, ` +
        `implements its own authentication (a webhook checking a signature, an API key), or the user asks. Example:\n\n${EXAMPLE}`,
      annotations: { title: 'Deploy Edge Function', readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
      mutating: true,
      forUsers: false,
      input: {
        name: z.string().min(1).describe('The name of the function.'),
        entrypoint_path: z.string().default('index.ts').describe('The entrypoint of the function.'),
        import_map_path: z.string().optional().describe('The import map of the function.'),
        verify_jwt: z.boolean().default(true).describe('Whether callers must send a valid JWT. Keep it on unless the function authenticates requests itself.'),
        files: z.array(z.object({ name: z.string(), content: z.string() })).describe('The files to deploy, each with a name relative to the function folder and its content.'),
      },
      output: edgeFunction.shape,
      async run(input) {
        deployFunction(deps.functionsDir, input);
        const deployed = listEdgeFunctions(deps.functionsDir, deps.functionsVerifyJwt).find((f) => f.slug === input.name);
        if (deployed === undefined) throw new ToolError(`Edge Function ${input.name} was written but is not found; check supabase/config.toml`);
        return deployed;
      },
    }),
  ];
}
