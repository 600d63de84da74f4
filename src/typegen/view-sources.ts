// Where a view's output columns come from, read from a rule's stored query tree
// (`pg_rewrite.ev_action`): each top-level target entry's position (`:resno`) and the base
// relation and column it selects (`:resorigtbl`, `:resorigcol`). Only the first query of
// the rule counts; nested queries are skipped by depth. Pure.

export interface TargetSource {
  /** The view column's number (attnum). */
  readonly position: number;
  /** OID of the relation the column comes from, and its column number. */
  readonly table: number;
  readonly column: number;
}

/** Index of the `}` or `)` closing the node or list opened at `open`, honouring backslash escapes. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '{' || c === '(') depth++;
    else if (c === '}' || c === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return text.length;
}

/** The text of a node without its nested nodes and lists, so field searches stay at its level. */
function ownLevel(node: string): string {
  let out = '';
  for (let i = 0; i < node.length; i++) {
    const c = node[i] as string;
    if (c === '\\') {
      i++;
      continue;
    }
    if ((c === '{' || c === '(') && i > 0) {
      i = closing(node, i);
      continue;
    }
    out += c;
  }
  return out;
}

const field = (own: string, name: string): number | undefined => {
  const m = new RegExp(` :${name} (-?\\d+)`).exec(own);
  return m === null ? undefined : Number(m[1]);
};

export function targetSources(evAction: string): TargetSource[] {
  const queryStart = evAction.indexOf('{QUERY');
  if (queryStart < 0) return [];
  const query = evAction.slice(queryStart, closing(evAction, queryStart) + 1);
  // Find ` :targetList ` at the query's own level: skip nested nodes while scanning.
  let listStart = -1;
  for (let i = 1; i < query.length; i++) {
    const c = query[i];
    if (c === '\\') i++;
    else if (c === '{' || c === '(') i = closing(query, i);
    else if (query.startsWith(' :targetList (', i)) {
      listStart = i + ' :targetList '.length;
      break;
    }
  }
  if (listStart < 0) return [];
  const list = query.slice(listStart, closing(query, listStart) + 1);
  const out: TargetSource[] = [];
  for (let i = 1; i < list.length; i++) {
    const c = list[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c !== '{') continue;
    const end = closing(list, i);
    const own = ownLevel(list.slice(i, end + 1));
    i = end;
    const position = field(own, 'resno');
    const table = field(own, 'resorigtbl');
    const column = field(own, 'resorigcol');
    if (position !== undefined && table !== undefined && column !== undefined && table !== 0) out.push({ position, table, column });
  }
  return out;
}
