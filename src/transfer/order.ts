// Creation order: every object after the objects it needs (Kahn's algorithm), and among
// those that are ready, by rank then name, so a dump reads types, sequences, tables,
// functions, views, and a function moves ahead only when a table or view needs it. Pure.

export interface OrderNode {
  readonly key: string;
  /** Lower ranks come first when several nodes are ready. */
  readonly rank: number;
  /** Tie-break, for a stable order. */
  readonly name: string;
}

export interface Edge {
  /** Made after `to`. */
  readonly from: string;
  readonly to: string;
}

const before = (a: OrderNode, b: OrderNode) => (a.rank !== b.rank ? a.rank - b.rank : a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Nodes in dependency order. Edges naming a key that is not a node are ignored (objects
 * outside the dump exist on the target already). A cycle cannot be ordered: its nodes come
 * last, by rank and name, and the target reports what it could not create.
 */
export function creationOrder<N extends OrderNode>(nodes: readonly N[], edges: readonly Edge[]): N[] {
  const byKey = new Map(nodes.map((n) => [n.key, n]));
  const needs = new Map<string, Set<string>>(nodes.map((n) => [n.key, new Set<string>()]));
  const neededBy = new Map<string, string[]>();
  for (const { from, to } of edges) {
    if (from === to || !byKey.has(from) || !byKey.has(to)) continue;
    const set = needs.get(from) as Set<string>;
    if (set.has(to)) continue;
    set.add(to);
    neededBy.set(to, [...(neededBy.get(to) ?? []), from]);
  }
  const ready = nodes.filter((n) => needs.get(n.key)?.size === 0).sort(before);
  const out: N[] = [];
  while (ready.length > 0) {
    const next = ready.shift() as N;
    out.push(next);
    for (const key of neededBy.get(next.key) ?? []) {
      const set = needs.get(key) as Set<string>;
      set.delete(next.key);
      if (set.size === 0) {
        const node = byKey.get(key) as N;
        const at = ready.findIndex((r) => before(node, r) < 0);
        ready.splice(at < 0 ? ready.length : at, 0, node);
      }
    }
  }
  if (out.length < nodes.length) {
    const placed = new Set(out.map((n) => n.key));
    out.push(...nodes.filter((n) => !placed.has(n.key)).sort(before));
  }
  return out;
}
