// The dump as three lists: statements before the rows (schemas, types, tables, functions,
// views, in dependency order), the tables whose rows move (Auth's first, in foreign-key
// order), and statements after them (positions of sequences, constraints, indexes,
// triggers, policies, privileges, comments). `db dump` writes them; `db copy` runs them.
// Pure.
import { quoteIdent, quoteLiteral } from '../lib/sql.ts';
import type { Catalog, DataTable, RelationInfo } from './catalog-types.ts';
import {
  columnDefaults,
  createExtension,
  createFunction,
  createSchema,
  createSequence,
  createTable,
  createType,
  createView,
  qualified,
  sequenceOwnership,
  setSequenceValue,
} from './ddl-objects.ts';
import {
  addConstraint,
  comment,
  createIndex,
  createPolicy,
  createTrigger,
  functionName,
  ownership,
  publication,
  relationKeyword,
  replicaIdentity,
  rowSecurity,
} from './ddl-rules.ts';
import { creationOrder, type OrderNode } from './order.ts';
import { columnGrants, defaultPrivileges, objectGrants } from './privileges.ts';
import { GROUNDWORK_EXTENSIONS, MIGRATIONS_SCHEMA } from './scope.ts';

export interface DumpPlan {
  /** Session settings and the checks that the target can take the dump. */
  readonly header: readonly string[];
  readonly before: readonly string[];
  readonly data: readonly DataTable[];
  readonly after: readonly string[];
}

/** Settings a load runs with: qualified names only, bodies checked when called, rows as written. */
const SETTINGS = [
  'set statement_timeout = 0;',
  'set lock_timeout = 0;',
  'set idle_in_transaction_session_timeout = 0;',
  "set client_encoding = 'UTF8';",
  'set standard_conforming_strings = on;',
  "select pg_catalog.set_config('search_path', '', false);",
  'set check_function_bodies = false;',
  'set client_min_messages = warning;',
  'set row_security = off;',
  "set datestyle = 'ISO, YMD';",
  "set intervalstyle = 'postgres';",
];

/** Refuses, with what to do, a target that Groundwork has not bootstrapped or lacks roles. */
export function targetChecks(bootstrapVersion: number, roles: readonly string[]): string[] {
  const checks = [
    `do $$
begin
  if to_regclass('_groundwork.bootstrap') is null or (select coalesce(max(version), 0) from _groundwork.bootstrap) < ${bootstrapVersion} then
    raise exception 'this database is not bootstrapped by Groundwork (version ${bootstrapVersion} or later): load the dump with groundwork db copy --to <url>, or start Groundwork on the empty database once first';
  end if;
end
$$;`,
  ];
  if (roles.length > 0) {
    checks.push(`do $$
declare
  missing text;
begin
  select string_agg(r, ', ') into missing from unnest(array[${roles.map(quoteLiteral).join(', ')}]::text[]) r
    where not exists (select from pg_roles where rolname = r);
  if missing is not null then
    raise exception 'roles missing on this server: %; create them first (roles belong to the server, not to the dump)', missing;
  end if;
end
$$;`);
  }
  return checks;
}

const isManaged = (t: { readonly schema: string }) => t.schema === MIGRATIONS_SCHEMA;

interface Creatable extends OrderNode {
  readonly statement: string;
}

function creatables(c: Catalog): Creatable[] {
  const name = (schema: string, n: string) => `${schema}.${n}`;
  const managedConstraints = (t: RelationInfo) => ({ constraints: c.constraints.filter((k) => k.schema === t.schema && k.table === t.name) });
  return [
    ...c.types.map((t) => ({ key: t.key, rank: 0, name: name(t.schema, t.name), statement: createType(t) })),
    ...c.sequences.filter((s) => s.ownedBy?.identity !== true).map((s) => ({ key: s.key, rank: 1, name: name(s.schema, s.name), statement: createSequence(s) })),
    ...c.relations
      .filter((r) => r.kind === 'table')
      .map((t) => ({ key: t.key, rank: 2, name: name(t.schema, t.name), statement: createTable(t, c.sequences, isManaged(t) ? managedConstraints(t) : undefined) })),
    ...c.functions.map((f) => ({ key: f.key, rank: 3, name: name(f.schema, `${f.name}(${f.args})`), statement: createFunction(f) })),
    ...c.relations.filter((r) => r.kind !== 'table').map((v) => ({ key: v.key, rank: 4, name: name(v.schema, v.name), statement: createView(v) })),
  ];
}

const defined = <T>(x: T | undefined): x is T => x !== undefined;

function privileges(c: Catalog): string[] {
  const out: string[] = [];
  for (const s of c.schemas) out.push(...objectGrants('schema', `schema ${quoteIdent(s.name)}`, s.acl, s.owner));
  for (const r of c.relations) {
    const table = qualified(r.schema, r.name);
    out.push(...objectGrants('table', `table ${table}`, r.acl, r.owner));
    for (const col of r.columns) out.push(...columnGrants(table, col.name, col.acl));
  }
  for (const s of c.sequences) out.push(...objectGrants('sequence', `sequence ${qualified(s.schema, s.name)}`, s.acl, s.owner));
  for (const f of c.functions) out.push(...objectGrants('function', functionName(f), f.acl, f.owner));
  return out;
}

function comments(c: Catalog): string[] {
  const on = (schema: string, table: string, name: string) => `${quoteIdent(name)} on ${qualified(schema, table)}`;
  return [
    ...c.schemas.map((s) => comment(`schema ${quoteIdent(s.name)}`, s.comment)),
    ...c.types.map((t) => comment(`type ${qualified(t.schema, t.name)}`, t.comment)),
    ...c.relations.flatMap((r) => [
      comment(`${relationKeyword(r.kind)} ${qualified(r.schema, r.name)}`, r.comment),
      ...r.columns.map((col) => comment(`column ${qualified(r.schema, r.name)}.${quoteIdent(col.name)}`, col.comment)),
    ]),
    ...c.sequences.map((s) => comment(`sequence ${qualified(s.schema, s.name)}`, s.comment)),
    ...c.functions.map((f) => comment(functionName(f), f.comment)),
    ...c.constraints.map((k) => comment(`constraint ${on(k.schema, k.table, k.name)}`, k.comment)),
    ...c.indexes.map((i) => comment(`index ${qualified(i.schema, i.name)}`, i.comment)),
    ...c.triggers.map((t) => comment(`trigger ${on(t.schema, t.table, t.name)}`, t.comment)),
  ].filter(defined);
}

function owners(c: Catalog): string[] {
  return [
    // `public` belongs to the database's owner on every server: left as the target has it.
    ...c.schemas.filter((s) => s.name !== 'public').map((s) => ownership(`schema ${quoteIdent(s.name)}`, s.owner, c.admin)),
    ...c.types.map((t) => ownership(`type ${qualified(t.schema, t.name)}`, t.owner, c.admin)),
    ...c.relations.map((r) => ownership(`${relationKeyword(r.kind)} ${qualified(r.schema, r.name)}`, r.owner, c.admin)),
    ...c.sequences.filter((s) => s.ownedBy === null).map((s) => ownership(`sequence ${qualified(s.schema, s.name)}`, s.owner, c.admin)),
    ...c.functions.map((f) => ownership(functionName(f), f.owner, c.admin)),
  ].filter(defined);
}

export function planDump(c: Catalog): DumpPlan {
  const ordered = creationOrder(creatables(c), c.dependencies);
  const plain = (t: { readonly schema: string }) => !isManaged(t);
  const tables = c.relations.filter((r) => r.kind === 'table');
  const before = [
    ...c.schemas.map((s) => createSchema(s.name)),
    ...c.extensions.filter((e) => !GROUNDWORK_EXTENSIONS.includes(e.name)).map(createExtension),
    ...ordered.map((n) => n.statement),
    ...c.sequences.map(sequenceOwnership).filter(defined),
    ...tables.filter(plain).flatMap(columnDefaults),
  ];
  const matviews = ordered.map((n) => c.relations.find((r) => r.key === n.key)).filter((r): r is RelationInfo => r?.kind === 'matview' && r.populated);
  const after = [
    ...c.sequenceValues.map((s) => setSequenceValue(s.schema, s.name, s.value, s.called)),
    ...c.constraints.filter(plain).map(addConstraint),
    ...c.indexes.filter(plain).map(createIndex),
    ...c.relations.map(replicaIdentity).filter(defined),
    ...matviews.map((m) => `refresh materialized view ${qualified(m.schema, m.name)};`),
    ...c.triggers.flatMap(createTrigger),
    ...c.relations.flatMap(rowSecurity),
    ...c.policies.map(createPolicy),
    ...c.publications.flatMap(publication),
    ...owners(c),
    ...privileges(c),
    ...defaultPrivileges(c.defaultAcls, c.admin, c.schemas.map((s) => s.name)),
    ...comments(c),
  ];
  return { header: [...SETTINGS, ...targetChecks(c.bootstrapVersion, c.roles)], before, data: c.data, after };
}
