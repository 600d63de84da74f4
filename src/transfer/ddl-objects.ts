// CREATE statements for the project's objects, from catalog values. Pure. Tables are made
// without defaults and constraints: defaults follow once every function exists, and
// constraints once the rows are in (as pg_dump does), so no order of tables matters.
import { quoteIdent, quoteLiteral } from '../lib/sql.ts';
import type { ColumnInfo, ConstraintInfo, ExtensionInfo, FunctionInfo, RelationInfo, SequenceInfo, SequenceOptions, TypeInfo } from './catalog-types.ts';

/** `"schema"."name"`. */
export const qualified = (schema: string, name: string): string => `${quoteIdent(schema)}.${quoteIdent(name)}`;

export function createSchema(name: string): string {
  return `create schema if not exists ${quoteIdent(name)};`;
}

export function createExtension(e: ExtensionInfo): string {
  return `create extension if not exists ${quoteIdent(e.name)} with schema ${quoteIdent(e.schema)};`;
}

const collate = (collation: string | null) => (collation === null ? '' : ` collate ${collation}`);

export function createType(t: TypeInfo): string {
  const name = qualified(t.schema, t.name);
  switch (t.kind) {
    case 'enum':
      return `create type ${name} as enum (${t.labels.map(quoteLiteral).join(', ')});`;
    case 'domain': {
      const parts = [`create domain ${name} as ${t.base ?? 'text'}${collate(t.collation)}`];
      if (t.default !== null) parts.push(`default ${t.default}`);
      if (t.notNull) parts.push('not null');
      for (const c of t.checks) parts.push(`constraint ${quoteIdent(c.name)} ${c.definition}`);
      return `${parts.join(' ')};`;
    }
    case 'composite':
      return `create type ${name} as (${t.attributes.map((a) => `${quoteIdent(a.name)} ${a.type}${collate(a.collation)}`).join(', ')});`;
  }
}

function sequenceOptions(o: SequenceOptions): string {
  return `increment by ${o.increment} minvalue ${o.min} maxvalue ${o.max} start with ${o.start} cache ${o.cache} ${o.cycle ? 'cycle' : 'no cycle'}`;
}

/** A sequence of its own (identity sequences come with their table). */
export function createSequence(s: SequenceInfo): string {
  return `create sequence ${qualified(s.schema, s.name)} as ${s.options.type} ${sequenceOptions(s.options)};`;
}

function columnDefinition(c: ColumnInfo, identity: SequenceInfo | undefined, withDefault: boolean): string {
  let text = `${quoteIdent(c.name)} ${c.type}${collate(c.collation)}`;
  // PostgreSQL 18 makes virtual generated columns; 15 has only stored ones, which read the same.
  if (c.generated !== '') text += ` generated always as (${c.generatedExpr ?? 'null'}) stored`;
  if (c.identity !== '') {
    const how = c.identity === 'a' ? 'always' : 'by default';
    const options = identity === undefined ? '' : ` (sequence name ${qualified(identity.schema, identity.name)} ${sequenceOptions(identity.options)})`;
    text += ` generated ${how} as identity${options}`;
  }
  if (withDefault && c.default !== null) text += ` default ${c.default}`;
  if (c.notNull) text += ' not null';
  return text;
}

const identitySequence = (table: RelationInfo, column: string, sequences: readonly SequenceInfo[]) =>
  sequences.find((s) => s.schema === table.schema && s.ownedBy?.identity === true && s.ownedBy.table === table.name && s.ownedBy.column === column);

/**
 * The table with its columns. `managed` tables (the migration history, which the target may
 * already have, empty) are created only if missing, whole: defaults and constraints inline.
 */
export function createTable(t: RelationInfo, sequences: readonly SequenceInfo[], managed?: { readonly constraints: readonly ConstraintInfo[] }): string {
  const lines = t.columns.map((c) => columnDefinition(c, identitySequence(t, c.name, sequences), managed !== undefined));
  for (const k of managed?.constraints ?? []) lines.push(`constraint ${quoteIdent(k.name)} ${k.definition}`);
  const options = t.options.length === 0 ? '' : ` with (${t.options.join(', ')})`;
  const body = lines.length === 0 ? '()' : `(\n  ${lines.join(',\n  ')}\n)`;
  return `create ${t.unlogged ? 'unlogged ' : ''}table ${managed === undefined ? '' : 'if not exists '}${qualified(t.schema, t.name)} ${body}${options};`;
}

/** pg_get_viewdef's query, without its closing semicolon. */
const viewQuery = (query: string | null) => (query ?? 'select').trim().replace(/;$/, '');

export function createView(v: RelationInfo): string {
  const options = v.options.length === 0 ? '' : ` with (${v.options.join(', ')})`;
  if (v.kind === 'matview') return `create materialized view ${qualified(v.schema, v.name)}${options} as\n${viewQuery(v.query)}\nwith no data;`;
  return `create view ${qualified(v.schema, v.name)}${options} as\n${viewQuery(v.query)};`;
}

export function createFunction(f: FunctionInfo): string {
  return `${f.definition.trimEnd()};`;
}

/** Defaults set once every function and sequence they call exists. */
export function columnDefaults(t: RelationInfo): string[] {
  return t.columns
    .filter((c) => c.default !== null && c.generated === '' && c.identity === '')
    .map((c) => `alter table ${qualified(t.schema, t.name)} alter column ${quoteIdent(c.name)} set default ${c.default};`);
}

/** A serial column's sequence, tied to its column as on the source. */
export function sequenceOwnership(s: SequenceInfo): string | undefined {
  if (s.ownedBy === null || s.ownedBy.identity) return undefined;
  return `alter sequence ${qualified(s.schema, s.name)} owned by ${qualified(s.schema, s.ownedBy.table)}.${quoteIdent(s.ownedBy.column)};`;
}

export function setSequenceValue(schema: string, name: string, value: string, called: boolean): string {
  if (!/^-?\d+$/.test(value)) throw new TypeError(`sequence ${schema}.${name} has a position that is not an integer: ${value}`);
  return `select pg_catalog.setval(${quoteLiteral(qualified(schema, name))}, ${value}, ${called});`;
}
