// The generator's only I/O: the catalog statements of introspect-sql.ts in one read-only
// pipeline (one round trip), their JSON checked with zod, then shaped into a TypegenModel.
import { z } from 'zod';
import type { Database } from '../db/port.ts';
import type { Sql } from '../lib/sql.ts';
import {
  foreignKeysStatement,
  functionsStatement,
  relationsStatement,
  resetSearchPath,
  schemasStatement,
  typesStatement,
  viewQueriesStatement,
} from './introspect-sql.ts';
import type { Relation, RelationKind, TypegenModel } from './model.ts';
import { buildRelationships } from './relationships.ts';

const oid = z.number().int().nonnegative();

const schemaRow = z.object({ name: z.string() });

const columnRow = z.object({
  name: z.string(),
  type: z.string(),
  typeSchema: z.string(),
  nullable: z.boolean(),
  identity: z.enum(['ALWAYS', 'BY DEFAULT']).nullable(),
  generated: z.boolean(),
  hasDefault: z.boolean(),
  updatable: z.boolean(),
});

const KINDS: Readonly<Record<string, RelationKind>> = { r: 'table', p: 'table', f: 'foreign-table', v: 'view', m: 'materialized-view' };

const relationRow = z.object({
  id: oid,
  schema: z.string(),
  name: z.string(),
  kind: z.enum(['r', 'p', 'f', 'v', 'm']),
  insertable: z.boolean(),
  updatable: z.boolean(),
  columns: z.array(columnRow),
});

const foreignKeyRow = z.object({
  constraint: z.string(),
  schema: z.string(),
  relation: z.string(),
  relation_id: oid,
  keys: z.array(z.number().int()),
  columns: z.array(z.string()),
  referenced_schema: z.string(),
  referenced_relation: z.string(),
  referenced_id: oid,
  referenced_keys: z.array(z.number().int()),
  referenced_columns: z.array(z.string()),
  one_to_one: z.boolean(),
});

const viewRow = z.object({
  id: oid,
  schema: z.string(),
  name: z.string(),
  columns: z.array(z.tuple([z.number().int(), z.string()])),
  queries: z.array(z.string()),
});

const functionRow = z.object({
  id: oid,
  schema: z.string(),
  name: z.string(),
  args: z.array(z.object({ mode: z.enum(['in', 'out', 'inout', 'variadic', 'table']), name: z.string(), typeId: oid, hasDefault: z.boolean() })),
  argument_types: z.string(),
  identity_argument_types: z.string(),
  return_type_id: oid,
  return_type: z.string(),
  return_relation_id: oid.nullable(),
  set_returning: z.boolean(),
  rows: z.number().nullable(),
});

const typeRow = z.object({
  id: oid,
  name: z.string(),
  schema: z.string(),
  format: z.string(),
  enum_values: z.array(z.string()),
  attributes: z.array(z.object({ name: z.string(), typeId: oid })),
  relation_id: oid.nullable(),
});

/** The first (only) row's `rows` array of a statement, checked against `schema`. */
function parsed<T>(result: { rows: Array<Record<string, unknown>> } | undefined, schema: z.ZodType<T>, what: string): T[] {
  const checked = z.array(schema).safeParse(result?.rows[0]?.['rows']);
  if (!checked.success) throw new Error(`unexpected catalog answer for ${what}: ${checked.error.message}`);
  return checked.data;
}

/** Reads what `gen types typescript` needs about `schemas`. Run it as a role that sees them (the admin connection). */
export async function introspect(db: Database, schemas: readonly string[]): Promise<TypegenModel> {
  const statements: Sql[] = [
    resetSearchPath,
    schemasStatement(schemas),
    relationsStatement(schemas),
    foreignKeysStatement(schemas),
    viewQueriesStatement(schemas),
    functionsStatement(schemas),
    typesStatement(schemas),
  ];
  // JIT off: these catalog queries are estimated far above jit_above_cost on PostgreSQL.
  const [, s, r, fk, v, f, t] = await db.pipeline(statements, { readOnly: true, settings: [['jit', 'off']] });
  const relations: Relation[] = parsed(r, relationRow, 'relations').map((row) => ({
    id: row.id,
    schema: row.schema,
    name: row.name,
    kind: KINDS[row.kind] as RelationKind,
    insertable: row.insertable,
    updatable: row.updatable,
    columns: row.columns,
  }));
  const foreignKeys = parsed(fk, foreignKeyRow, 'foreign keys').map((row) => ({
    constraint: row.constraint,
    schema: row.schema,
    relation: row.relation,
    relationId: row.relation_id,
    keys: row.keys,
    columns: row.columns,
    referencedSchema: row.referenced_schema,
    referencedRelation: row.referenced_relation,
    referencedId: row.referenced_id,
    referencedKeys: row.referenced_keys,
    referencedColumns: row.referenced_columns,
    oneToOne: row.one_to_one,
  }));
  const views = parsed(v, viewRow, 'views').map((row) => ({ id: row.id, schema: row.schema, name: row.name, columns: new Map(row.columns), queries: row.queries }));
  return {
    schemas: parsed(s, schemaRow, 'schemas').map((row) => row.name),
    relations,
    relationships: buildRelationships(foreignKeys, views),
    functions: parsed(f, functionRow, 'functions').map((row) => ({
      id: row.id,
      schema: row.schema,
      name: row.name,
      args: row.args,
      argumentTypes: row.argument_types,
      identityArgumentTypes: row.identity_argument_types,
      returnTypeId: row.return_type_id,
      returnType: row.return_type,
      returnRelationId: row.return_relation_id,
      setReturning: row.set_returning,
      rows: row.rows,
    })),
    types: parsed(t, typeRow, 'types').map((row) => ({
      id: row.id,
      name: row.name,
      schema: row.schema,
      format: row.format,
      enumValues: row.enum_values,
      attributes: row.attributes,
      relationId: row.relation_id,
    })),
  };
}
