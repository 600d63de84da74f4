// Reading a policy's expression as PostgreSQL deparses it (`pg_get_expr` with an empty
// search_path, so `auth.uid()` is always schema-qualified). Pure, so the rules are tested
// with tables of expressions rather than through a database.

/** Calls whose value is the same for every row of a statement, yet are evaluated per row unless wrapped in a sub-SELECT. */
const STABLE_CALL = /\b(auth\.(?:uid|jwt|role|email)|current_setting)\(/g;

/** Where each character sits: 0 code, 1 inside a string literal or quoted identifier, 2 code inside a sub-SELECT. */
function layout(expr: string): Uint8Array {
  const where = new Uint8Array(expr.length);
  // One entry per open parenthesis: whether it opened a sub-SELECT.
  const parens: boolean[] = [];
  let depthInSelect = 0;
  let i = 0;
  while (i < expr.length) {
    const ch = expr[i];
    if (ch === "'" || ch === '"') {
      // A literal or quoted identifier; a doubled quote inside it is an escaped one.
      let j = i + 1;
      while (j < expr.length && !(expr[j] === ch && expr[j + 1] !== ch)) j += expr[j] === ch ? 2 : 1;
      where.fill(1, i, Math.min(j + 1, expr.length));
      i = j + 1;
      continue;
    }
    if (ch === '(') {
      const opensSelect = /^\(\s*SELECT\b/i.test(expr.slice(i, i + 16));
      parens.push(opensSelect);
      if (opensSelect) depthInSelect++;
    } else if (ch === ')') {
      if (parens.pop() === true) depthInSelect--;
    }
    where[i] = depthInSelect > 0 ? 2 : 0;
    i++;
  }
  return where;
}

/**
 * The calls in `expr` re-evaluated for every row: `auth.uid()`, `auth.jwt()`, `auth.role()`,
 * `auth.email()` or `current_setting(…)` outside any sub-SELECT. Wrapped as
 * `(select auth.uid())`, the planner runs them once per statement (an InitPlan).
 */
export function perRowCalls(expr: string | null): string[] {
  if (expr === null) return [];
  const where = layout(expr);
  const found = new Set<string>();
  for (const m of expr.matchAll(STABLE_CALL)) {
    if (where[m.index] === 0 && m[1] !== undefined) found.add(`${m[1]}()`);
  }
  return [...found];
}

/**
 * Whether `expr` reads a user's `user_metadata`, which the user can edit themselves: through
 * the token (`auth.jwt() -> 'user_metadata'`, or the claims setting) or through
 * `auth.users.raw_user_meta_data`, where it is stored.
 */
export function readsUserMetadata(expr: string | null): boolean {
  if (expr === null) return false;
  return /(auth\.jwt\(\)|request\.jwt\.claim)[\s\S]*user_metadata/.test(expr) || /\braw_user_meta_data\b/.test(expr);
}
