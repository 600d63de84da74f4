// Catalog reads for a per-user session run as that user (in a read-only transaction with
// their role and claims), so what they see is what their role may see; the operator reads
// through the admin connection.
import type { Queryable } from '../../db/port.ts';
import type { McpDeps } from './deps.ts';
import type { ToolContext } from './types.ts';

export function asPrincipal<T>(deps: McpDeps, ctx: ToolContext, work: (db: Queryable) => Promise<T>): Promise<T> {
  const p = ctx.principal;
  if (p.kind === 'service') return work(deps.db.admin);
  return deps.db.api.transaction(work, { caller: p.caller, readOnly: true });
}
