// Reads everything a dump needs from the source in one transaction: the project's
// objects, the tables whose rows move with their row counts, the positions of sequences,
// and the roles the target must have.
import { ident, sql } from '../lib/sql.ts';
import type { Queryable } from '../db/port.ts';
import { readExtensions, readFunctions, readRelations, readSchemas, readSequences, readTypes } from './catalog-objects.ts';
import { readConstraints, readDefaultAcls, readDependencies, readIndexes, readPolicies, readPublications, readTriggers, readUnsupported } from './catalog-rules.ts';
import type { AclEntry, Catalog, DataTable, RelationInfo, SequenceInfo } from './catalog-types.ts';
import { inSchemas } from './catalog-sql.ts';
import { creationOrder } from './order.ts';
import { AUTH_SCHEMA, isProjectSchema, REALTIME_SCHEMA } from './scope.ts';

/** Settings of the reading transaction: qualified names in deparsed text, values as portable text. */
export const READ_SETTINGS: ReadonlyArray<readonly [string, string]> = [
  ['search_path', ''],
  ['datestyle', 'ISO, YMD'],
  ['intervalstyle', 'postgres'],
  ['extra_float_digits', '3'],
  ['bytea_output', 'hex'],
  ['timezone', 'UTC'],
];

const stored = (t: RelationInfo) => t.columns.filter((c) => c.generated === '');

async function countRows(tx: Queryable, schema: string, table: string): Promise<number> {
  const { rows } = await tx.query<{ n: string }>(sql`select count(*) as n from ${ident(schema, table)}`);
  return Number(rows[0]?.n ?? 0);
}

/** Auth's tables, each after the tables its foreign keys point to. */
async function authLoadOrder(tx: Queryable, authOid: string, tables: readonly RelationInfo[]): Promise<RelationInfo[]> {
  const { rows } = await tx.query<{ from: string; to: string }>(sql`
    select c.relname as from, f.relname as to
    from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_class f on f.oid = k.confrelid
    where k.contype = 'f' and ${inSchemas('c.relnamespace', [authOid])} and ${inSchemas('f.relnamespace', [authOid])}`);
  const nodes = tables.map((t) => ({ key: t.name, rank: 0, name: t.name, table: t }));
  return creationOrder(nodes, rows).map((n) => n.table);
}

async function dataTables(tx: Queryable, project: readonly RelationInfo[], auth: readonly RelationInfo[]): Promise<DataTable[]> {
  const out: DataTable[] = [];
  for (const [t, isAuth] of [...auth.map((t) => [t, true] as const), ...project.map((t) => [t, false] as const)]) {
    out.push({ schema: t.schema, table: t.name, columns: stored(t).map((c) => c.name), types: stored(t).map((c) => c.type), auth: isAuth, rows: await countRows(tx, t.schema, t.name) });
  }
  return out;
}

async function sequencePositions(tx: Queryable, sequences: readonly SequenceInfo[]): Promise<Catalog['sequenceValues']> {
  const out = [];
  for (const s of sequences) {
    const { rows } = await tx.query<{ value: string; called: boolean }>(sql`select last_value::text as value, is_called as called from ${ident(s.schema, s.name)}`);
    const row = rows[0];
    if (row !== undefined) out.push({ schema: s.schema, name: s.name, value: row.value, called: row.called });
  }
  return out;
}

/** Roles the project's objects name, other than the source's admin and built-in roles. */
function rolesNamed(c: Omit<Catalog, 'roles'>): string[] {
  const names = new Set<string>();
  const owned = (owner: string, entries: readonly AclEntry[]) => {
    names.add(owner);
    for (const e of entries) names.add(e.grantee);
  };
  for (const s of c.schemas) owned(s.owner, s.acl);
  for (const r of c.relations) {
    owned(r.owner, r.acl);
    for (const col of r.columns) owned(r.owner, col.acl);
  }
  for (const s of c.sequences) owned(s.owner, s.acl);
  for (const f of c.functions) owned(f.owner, f.acl);
  for (const t of c.types) owned(t.owner, []);
  for (const p of c.policies) owned(c.admin, p.roles.map((r) => ({ grantee: r, privilege: '', grantable: false })));
  for (const d of c.defaultAcls) owned(d.role, d.acl);
  return [...names].filter((n) => n !== '' && n !== 'public' && n !== c.admin && !n.startsWith('pg_')).sort();
}

export async function readCatalog(tx: Queryable): Promise<Catalog> {
  const { rows: about } = await tx.query<{ admin: string; version: string; bootstrap: number }>(sql`
    select current_user::text as admin, current_setting('server_version') as version,
      case when to_regclass('_groundwork.bootstrap') is null then 0
        else (select coalesce(max(version), 0)::int from _groundwork.bootstrap) end as bootstrap`);
  const { admin, version, bootstrap } = about[0] as { admin: string; version: string; bootstrap: number };
  const schemaRows = await readSchemas(tx);
  const projectSchemas = schemaRows.filter((s) => isProjectSchema(s.name));
  const oids = projectSchemas.map((s) => s.oid);
  const authOid = schemaRows.find((s) => s.name === AUTH_SCHEMA)?.oid;
  const realtimeOid = schemaRows.find((s) => s.name === REALTIME_SCHEMA)?.oid;
  // Bootstrap-made tables the project may put policies and triggers on.
  const withAuth = [...oids, ...(authOid === undefined ? [] : [authOid]), ...(realtimeOid === undefined ? [] : [realtimeOid])];

  const relations = await readRelations(tx, oids);
  const sequences = await readSequences(tx, oids);
  const authTables = authOid === undefined ? [] : (await readRelations(tx, [authOid])).filter((r) => r.kind === 'table');
  const authSequences = authOid === undefined ? [] : (await readSequences(tx, [authOid])).filter((s) => s.ownedBy !== null);
  const catalog: Omit<Catalog, 'roles'> = {
    admin,
    serverVersion: version,
    bootstrapVersion: bootstrap,
    schemas: projectSchemas.map(({ oid: _oid, ...s }) => s),
    extensions: await readExtensions(tx),
    types: await readTypes(tx, oids),
    sequences,
    relations,
    functions: await readFunctions(tx, oids),
    constraints: await readConstraints(tx, oids),
    indexes: await readIndexes(tx, oids),
    triggers: await readTriggers(tx, withAuth),
    policies: await readPolicies(tx, withAuth),
    publications: await readPublications(tx, oids),
    defaultAcls: await readDefaultAcls(tx, oids),
    dependencies: await readDependencies(tx),
    data: await dataTables(
      tx,
      relations.filter((r) => r.kind === 'table'),
      authOid === undefined ? [] : await authLoadOrder(tx, authOid, authTables),
    ),
    sequenceValues: await sequencePositions(tx, [...authSequences, ...sequences]),
    unsupported: await readUnsupported(tx, oids),
  };
  return { ...catalog, roles: rolesNamed(catalog) };
}
