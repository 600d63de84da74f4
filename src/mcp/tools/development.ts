// The `development` group (what a client app needs to connect) and `docs` (search_docs over
// Groundwork's own documentation).
import { z } from 'zod';
import { parseDocsQuery, readDocs, searchSections, type DocSection } from '../docs/search.ts';
import type { McpDeps } from './deps.ts';
import { readOnlyTool, tool, type ToolDef } from './types.ts';

/** The PostgREST version the REST API speaks (its OpenAPI document says the same). */
const POSTGREST_VERSION = '13.0.0-groundwork';

export function developmentTools(deps: McpDeps): ToolDef[] {
  return [
    tool({
      name: 'get_project_url',
      group: 'development',
      description: 'Gets the API URL of the project (what createClient takes as its first argument).',
      annotations: readOnlyTool('Get project URL'),
      mutating: false,
      forUsers: true,
      input: {},
      output: { url: z.string() },
      run: async () => ({ url: deps.projectUrl() }),
    }),
    tool({
      name: 'generate_typescript_types',
      group: 'development',
      description:
        'Generates the TypeScript types of the database (the file `supabase gen types typescript` writes), for createClient<Database>. Defaults to public and the schemas the REST API exposes.',
      annotations: readOnlyTool('Generate TypeScript types'),
      mutating: false,
      forUsers: false,
      input: { included_schemas: z.array(z.string().min(1)).optional().describe('The schemas to generate types for.') },
      output: { types: z.string() },
      async run({ included_schemas }) {
        const { generateTypescriptTypes } = await import('../../typegen/generate.ts');
        const schemas = included_schemas ?? [...new Set(['public', ...deps.exposedSchemas])];
        // As the Supabase platform answers: with the block supabase-js reads the PostgREST version from.
        return { types: await generateTypescriptTypes(deps.db.admin, { schemas, postgrestVersion: POSTGREST_VERSION }) };
      },
    }),
    tool({
      name: 'get_publishable_keys',
      group: 'development',
      description: 'Gets the API keys safe to put in a client app (the anon key). Never put a service-role key in client code.',
      annotations: readOnlyTool('Get publishable keys'),
      mutating: false,
      forUsers: true,
      input: {},
      output: { keys: z.array(z.object({ api_key: z.string(), name: z.string(), type: z.enum(['legacy', 'publishable']), description: z.string().optional(), id: z.string().optional(), disabled: z.boolean().optional() })) },
      run: async () => ({ keys: [{ api_key: deps.anonKey, name: 'anon', type: 'legacy' as const, description: 'The anon key: a JWT with role anon, for client apps', id: 'anon', disabled: false }] }),
    }),
  ];
}

export function docsTools(deps: McpDeps): ToolDef[] {
  let docs: DocSection[] | undefined;
  return [
    tool({
      name: 'search_docs',
      group: 'docs',
      description:
        "Searches Groundwork's documentation (README and docs/). Takes the GraphQL query Supabase's docs search takes, e.g. " +
        '`{ searchDocs(query: "row level security", limit: 5) { nodes { title href content } } }`, or plain words.',
      annotations: readOnlyTool('Search docs'),
      mutating: false,
      forUsers: true,
      input: { graphql_query: z.string().min(1).describe('A GraphQL searchDocs query, or plain search words.') },
      output: { result: z.object({ searchDocs: z.object({ nodes: z.array(z.object({ title: z.string(), href: z.string(), content: z.string() })) }) }) },
      async run({ graphql_query }) {
        docs ??= readDocs(deps.docsDir);
        const { words, limit } = parseDocsQuery(graphql_query);
        return { result: { searchDocs: { nodes: searchSections(docs, words, limit) } } };
      },
    }),
  ];
}
