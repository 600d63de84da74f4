// Which base column each view column comes from, read from the view's stored query tree
// (pg_rewrite.ev_action): the top-level target list's :resname / :resorigtbl /
// :resorigcol. PostgREST does the same to project foreign keys and primary keys onto
// views. Pure; nested queries (subselects in the range table) are skipped by depth.

export interface ViewColumnSource {
  readonly column: string;
  /** OID of the relation the column comes from, and its attribute number. */
  readonly table: number;
  readonly attnum: number;
}

/** Reads a node-tree token: up to white space or a delimiter, honouring backslash escapes. */
function token(text: string, from: number): string {
  let out = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\') {
      out += text[++i] ?? '';
      continue;
    }
    if (c === ' ' || c === '}' || c === ')' || c === '{' || c === '(') break;
    out += c;
  }
  return out;
}

export function viewColumnSources(evAction: string): ViewColumnSource[] {
  // Find ":targetList" at depth 1 (inside the outermost QUERY node).
  let depth = 0;
  let start = -1;
  for (let i = 0; i < evAction.length; i++) {
    const c = evAction[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (depth === 1 && evAction.startsWith(':targetList ', i)) {
      start = i + ':targetList '.length;
      break;
    }
  }
  if (start < 0) return [];
  const out: ViewColumnSource[] = [];
  // Walk the list: each {TARGETENTRY …} opens at depth 2; keep only its own-level text.
  let own = '';
  depth = 1;
  for (let i = start; i < evAction.length; i++) {
    const c = evAction[i] as string;
    if (c === '\\') {
      if (depth === 2) own += c + (evAction[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '{') {
      depth++;
      continue;
    }
    if (c === '}') {
      depth--;
      if (depth === 1) {
        const name = own.indexOf(':resname ');
        const tbl = / :resorigtbl (\d+)/.exec(own);
        const col = / :resorigcol (\d+)/.exec(own);
        const junk = / :resjunk true/.test(own);
        if (name >= 0 && tbl !== null && col !== null && !junk && tbl[1] !== '0') {
          out.push({ column: token(own, name + ':resname '.length), table: Number(tbl[1]), attnum: Number(col[1]) });
        }
        own = '';
      }
      continue;
    }
    if (depth === 1 && c === ')') break; // end of the target list
    if (depth === 2) own += c;
  }
  return out;
}
