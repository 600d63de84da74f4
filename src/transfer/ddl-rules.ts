// Statements that follow the rows: constraints, indexes, triggers, row-level security and
// its policies, publications, owners, comments. Pure.
import { quoteIdent, quoteLiteral } from '../lib/sql.ts';
import type { ConstraintInfo, FunctionInfo, IndexInfo, PolicyInfo, PublicationInfo, RelationInfo, TriggerInfo } from './catalog-types.ts';
import { qualified } from './ddl-objects.ts';
import { GROUNDWORK_PUBLICATION } from './scope.ts';

export function addConstraint(k: ConstraintInfo): string {
  return `alter table ${qualified(k.schema, k.table)} add constraint ${quoteIdent(k.name)} ${k.definition};`;
}

export function createIndex(i: IndexInfo): string {
  return `${i.definition};`;
}

/** Replica identity other than the default (Realtime wants `full` for old rows). */
export function replicaIdentity(t: RelationInfo): string | undefined {
  if (t.kind !== 'table') return undefined; // views report `nothing`: they have none to set
  const table = `alter table ${qualified(t.schema, t.name)} replica identity`;
  switch (t.replicaIdentity) {
    case 'f':
      return `${table} full;`;
    case 'n':
      return `${table} nothing;`;
    case 'i':
      return t.replicaIndex === null ? undefined : `${table} using index ${quoteIdent(t.replicaIndex)};`;
    default:
      return undefined;
  }
}

const TRIGGER_STATE: Readonly<Record<TriggerInfo['enabled'], string | undefined>> = { O: undefined, D: 'disable trigger', R: 'enable replica trigger', A: 'enable always trigger' };

export function createTrigger(t: TriggerInfo): string[] {
  const state = TRIGGER_STATE[t.enabled];
  return [`${t.definition};`, ...(state === undefined ? [] : [`alter table ${qualified(t.schema, t.table)} ${state} ${quoteIdent(t.name)};`])];
}

export function rowSecurity(t: RelationInfo): string[] {
  const table = qualified(t.schema, t.name);
  return [...(t.rls ? [`alter table ${table} enable row level security;`] : []), ...(t.forceRls ? [`alter table ${table} force row level security;`] : [])];
}

const COMMANDS: Readonly<Record<PolicyInfo['command'], string>> = { r: 'select', a: 'insert', w: 'update', d: 'delete', '*': 'all' };

export function createPolicy(p: PolicyInfo): string {
  const roles = p.roles.map((r) => (r === 'public' ? 'public' : quoteIdent(r))).join(', ');
  let text = `create policy ${quoteIdent(p.name)} on ${qualified(p.schema, p.table)} as ${p.permissive ? 'permissive' : 'restrictive'} for ${COMMANDS[p.command]} to ${roles}`;
  if (p.using !== null) text += ` using (${p.using})`;
  if (p.check !== null) text += ` with check (${p.check})`;
  return `${text};`;
}

/**
 * The bootstrap makes `supabase_realtime`: the project's tables are added to it. A
 * publication of the project's own is created (tables of Groundwork's schemas left out).
 */
export function publication(p: PublicationInfo): string[] {
  const name = quoteIdent(p.name);
  const tables = p.tables.map((t) => qualified(t.schema, t.table)).join(', ');
  const out: string[] = [];
  if (p.name !== GROUNDWORK_PUBLICATION) {
    out.push(`create publication ${name}${p.allTables ? ' for all tables' : ''} with (publish = ${quoteLiteral(p.publish.join(', '))});`);
  }
  if (!p.allTables && tables !== '') out.push(`alter publication ${name} add table ${tables};`);
  return out;
}

export function relationKeyword(kind: RelationInfo['kind']): string {
  return kind === 'view' ? 'view' : kind === 'matview' ? 'materialized view' : 'table';
}

export const functionName = (f: FunctionInfo): string => `${f.procedure ? 'procedure' : 'function'} ${qualified(f.schema, f.name)}(${f.args})`;

/** `alter … owner to …` when the source's owner is not the role that made the project. */
export function ownership(object: string, owner: string, admin: string): string | undefined {
  return owner === admin ? undefined : `alter ${object} owner to ${quoteIdent(owner)};`;
}

/** `comment on <object> is '…'`, when there is one. */
export function comment(object: string, text: string | null): string | undefined {
  return text === null ? undefined : `comment on ${object} is ${quoteLiteral(text)};`;
}
