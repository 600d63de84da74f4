// Extensions Groundwork provides itself, in SQL written for both databases (bootstrap v12–v14),
// where Supabase installs them: neither PGlite nor a stock PostgreSQL has them to create.
// A migration's `create extension pg_net` (or pgmq, pg_cron) is therefore skipped, so
// migrations written for Supabase apply unchanged; the functions are already there.
const PROVIDED = new Set(['pg_net', 'pgmq', 'pg_cron']);
const CREATE_EXTENSION = /^\s*create\s+extension\s+(?:if\s+not\s+exists\s+)?(?:"([^"]+)"|([a-z_][a-z0-9_]*))(?:\s|;|$)/i;

/** The provided extension a statement creates, or undefined for any other statement. */
export function providedExtension(statement: string): string | undefined {
  const text = statement.replace(/^(\s*(--[^\n]*\n|\/\*[\s\S]*?\*\/))*/, '');
  const m = CREATE_EXTENSION.exec(text);
  const name = m?.[1] ?? m?.[2]?.toLowerCase();
  return name !== undefined && PROVIDED.has(name) ? name : undefined;
}
