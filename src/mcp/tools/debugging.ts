// The `debugging` group: the log store (get_logs as Supabase shapes it per service, and
// query_logs with our filters) and the database advisors.
import { z } from 'zod';
import { getLogs, supabaseLogServiceSchema } from '../../logs/get-logs.ts';
import { logFilterSchema, parseLogFilter, queryLogs } from '../../logs/query.ts';
import { ADVISOR_TYPES } from '../advisors/types.ts';
import { runAdvisors } from '../advisors/run.ts';
import type { McpDeps } from './deps.ts';
import { readOnlyTool, tool, type ToolDef } from './types.ts';

const rows = z.array(z.record(z.string(), z.unknown()));

export function debuggingTools(deps: McpDeps): ToolDef[] {
  return [
    tool({
      name: 'get_logs',
      group: 'debugging',
      description:
        "Gets the last 24 hours of one service's logs, newest first, at most 100 entries: api (REST and other HTTP requests), postgres (database, webhooks, queues, cron), edge-function, auth or realtime. Use it first when something fails.",
      annotations: readOnlyTool('Get project logs'),
      mutating: false,
      forUsers: false,
      input: { service: supabaseLogServiceSchema.describe('The service to fetch logs for.') },
      output: { result: rows },
      run: async ({ service }) => ({ result: await getLogs(deps.db.admin, service) }),
    }),
    tool({
      name: 'query_logs',
      group: 'debugging',
      description:
        'Searches the log store with filters: services (rest, auth, realtime, functions, webhooks, cron, queues, postgres, server), the lowest level, a time window (ISO timestamps), a request or trace id, text in the message; newest first unless order is asc.',
      annotations: readOnlyTool('Query logs'),
      mutating: false,
      forUsers: false,
      input: logFilterSchema.shape,
      output: { result: rows },
      run: async (filter) => ({ result: (await queryLogs(deps.db.admin, parseLogFilter(filter))).map((r) => ({ ...r })) }),
    }),
    tool({
      name: 'get_advisors',
      group: 'debugging',
      description:
        'Checks the database for security problems (tables without RLS in exposed schemas, policies reading user_metadata, security-definer views, functions with a mutable search_path…), performance problems (unindexed foreign keys, duplicate indexes, auth.uid() in policies not wrapped in a subquery…) or its health. Show the user each remediation link, and run it again after changing the schema.',
      annotations: readOnlyTool('Get advisors'),
      mutating: false,
      forUsers: false,
      input: { type: z.enum(ADVISOR_TYPES as ['security', 'performance', 'health']).describe('The kind of advisors to run.') },
      output: { result: z.object({ lints: z.array(z.record(z.string(), z.unknown())), metrics: z.record(z.string(), z.unknown()).optional() }) },
      run: async ({ type }) => ({ result: (await runAdvisors(deps.db.admin, type, { exposedSchemas: deps.exposedSchemas })) as unknown as { lints: Array<Record<string, unknown>>; metrics?: Record<string, unknown> } }),
    }),
  ];
}
