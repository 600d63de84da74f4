// A channel's postgres_changes bindings planned against the published tables (realtime.md
// §5.3–5.5): which tables each binding covers, which events, its filter typed against the
// columns and the columns the subscriber's role may read, its `select` list. The refusals
// are the system messages Supabase sends. Pure.
import { parseFilter, typeConditions, type TypedCondition } from './filter.ts';
import type { PublishedTable } from './tables.ts';
import type { ChangeBinding } from '../protocol/join.ts';

export interface PlannedBinding {
  readonly id: number;
  readonly event: ChangeBinding['event'];
  readonly relid: string;
  readonly conditions: readonly TypedCondition[];
  /** With the primary key added; undefined: every readable column. */
  readonly select: ReadonlySet<string> | undefined;
}

export type Planned = { readonly ok: true; readonly bindings: readonly PlannedBinding[] } | { readonly ok: false; readonly message: string };

function describe(b: ChangeBinding): string {
  return `[event: ${b.event}, schema: ${b.schema ?? 'nil'}, table: ${b.table ?? 'nil'}, filters: ${b.filter ?? '[]'}, select: ${b.select === undefined ? 'nil' : JSON.stringify(b.select)}]`;
}

/** The tables a binding names: `schema` alone is all its tables, `table` alone is `public`'s, `*` all. */
function tablesOf(b: ChangeBinding, tables: Iterable<PublishedTable>): PublishedTable[] {
  const schema = b.schema ?? 'public';
  const out: PublishedTable[] = [];
  for (const t of tables) {
    if ((schema === '*' || t.schema === schema) && (b.table === undefined || b.table === '*' || t.name === b.table)) out.push(t);
  }
  return out;
}

/**
 * `selectable(relid)`: the columns the subscriber's role may read there. A filter on a
 * column it may not read is refused, as Supabase's subscription check refuses it.
 */
export function planBindings(bindings: readonly ChangeBinding[], tables: Iterable<PublishedTable>, selectable: (relid: string) => ReadonlySet<string>): Planned {
  const planned: PlannedBinding[] = [];
  const all = [...tables];
  for (const b of bindings) {
    if (b.schema === undefined && b.table === undefined) {
      return { ok: false, message: `No subscription params provided. Please provide at least a \`schema\` or \`table\` to subscribe to: ${describe(b)}` };
    }
    const wildcard = b.schema === '*' || b.table === undefined || b.table === '*';
    if (b.select !== undefined && wildcard) return { ok: false, message: `Error parsing \`select\` params: a column list needs one table: ${describe(b)}` };
    const parsed = parseFilter(b.filter);
    if (!parsed.ok) return { ok: false, message: parsed.message };
    const matched = tablesOf(b, all);
    if (matched.length === 0) {
      return { ok: false, message: `Unable to subscribe to changes with given parameters. Please check Realtime is enabled for the given connect parameters: ${describe(b)}` };
    }
    for (const t of matched) {
      const readable = selectable(t.relid);
      const types = new Map(t.columns.filter((c) => readable.has(c.name)).map((c) => [c.name, c.type] as const));
      const typed = typeConditions(parsed.value, types);
      if (!typed.ok) return { ok: false, message: `Unable to subscribe to changes with given parameters. An exception happened so please check your connect parameters: ${describe(b)}. Exception: ${typed.message}` };
      let select: Set<string> | undefined;
      if (b.select !== undefined) {
        const unknown = b.select.filter((c) => !types.has(c));
        if (unknown.length > 0) return { ok: false, message: `Error parsing \`select\` params: unknown or unreadable columns ${JSON.stringify(unknown)}: ${describe(b)}` };
        select = new Set([...b.select, ...t.primaryKey]);
      }
      planned.push({ id: b.id, event: b.event, relid: t.relid, conditions: typed.value, select });
    }
  }
  return { ok: true, bindings: planned };
}
