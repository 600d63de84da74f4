// What `execute_sql` lets each session run, decided on PostgreSQL's own parse tree (libpg_query).
// - Anyone: no transaction control (BEGIN, COMMIT, SAVEPOINT…): the tool runs the text in one
//   transaction of its own, and a COMMIT inside would end it early.
// - A read-only operator session: also no statement that turns the transaction read-write.
// - A per-user session runs as the user's role with their claims, under RLS. Raw SQL could
//   otherwise change who it runs as (SET ROLE to a role the login may switch to, a forged
//   `request.jwt.claims`, the session user), so it may run only queries and row changes
//   (SELECT, INSERT, UPDATE, DELETE, VALUES, WITH), no SELECT INTO, and call no function that
//   sets settings or runs SQL text (set_config, query_to_xml…, ts_stat, dblink…) or touches
//   the host's files.

export type SqlGuard = 'operator' | 'operator-read-only' | 'user';

const USER_STATEMENTS = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt']);
const READ_WRITE_SETTINGS = new Set(['transaction_read_only', 'default_transaction_read_only', 'transaction', 'session_characteristics']);
const USER_DENIED_FUNCTIONS = new Set([
  'set_config', 'query_to_xml', 'query_to_xml_and_xmlschema', 'query_to_xmlschema', 'cursor_to_xml', 'cursor_to_xmlschema',
  'ts_stat', 'ts_rewrite', 'dblink', 'dblink_exec', 'dblink_open', 'dblink_send_query', 'dblink_connect', 'dblink_connect_u',
  'lo_import', 'lo_export', 'pg_read_file', 'pg_read_binary_file', 'pg_ls_dir', 'pg_stat_file',
]);

/** Every function name called anywhere in a parse tree (the last part of each qualified name). */
function calledFunctions(node: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(node)) for (const n of node) calledFunctions(n, out);
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'FuncCall' && typeof value === 'object' && value !== null) {
        const parts = (value as { funcname?: Array<{ String?: { sval?: string } }> }).funcname ?? [];
        const last = parts[parts.length - 1]?.String?.sval;
        if (last !== undefined) out.add(last.toLowerCase());
      }
      calledFunctions(value, out);
    }
  }
  return out;
}

/** Why the text may not run in this session, or undefined when it may. Throws on a syntax error. */
export async function refusal(text: string, guard: SqlGuard): Promise<string | undefined> {
  // Loaded on first use: its WebAssembly module is not part of the server's start.
  const { parse } = await import('libpg-query');
  const tree = (await parse(text)) as { stmts?: Array<{ stmt: Record<string, unknown> }> };
  for (const { stmt } of tree.stmts ?? []) {
    const [kind, body] = Object.entries(stmt)[0] ?? ['', {}];
    if (kind === 'TransactionStmt') return 'transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT) is not allowed: the SQL runs in one transaction of its own';
    if (guard === 'operator-read-only' && kind === 'VariableSetStmt' && READ_WRITE_SETTINGS.has(String((body as { name?: string }).name).toLowerCase().replace(/ /g, '_'))) {
      return 'read-only mode: the transaction cannot be made read-write';
    }
    if (guard !== 'user') continue;
    if (!USER_STATEMENTS.has(kind)) return `a signed-in user may run only SELECT, INSERT, UPDATE and DELETE statements (not ${kind.replace(/Stmt$/, '')})`;
    if (kind === 'SelectStmt' && (body as { intoClause?: unknown }).intoClause !== undefined) return 'a signed-in user may not run SELECT INTO';
    const denied = [...calledFunctions(body, new Set())].filter((f) => USER_DENIED_FUNCTIONS.has(f));
    if (denied.length > 0) return `a signed-in user may not call ${denied.join(', ')}`;
  }
  return undefined;
}
