// PostgreSQL type → TypeScript type, as the Supabase CLI's generated file spells it.
// Enums, composite types and row types resolve by name (preferring the owning schema) to
// their entry in `Database` when their schema is generated; otherwise an enum is written
// out as its labels and anything else is `unknown`. Pure.
import type { PgType, Relation } from './model.ts';

const collator = new Intl.Collator('en');
/** The one ordering of names: English collation, the same on every machine. */
export const compareNames = (a: string, b: string): number => collator.compare(a, b);

export interface TypeLookup {
  /** The generated schemas. */
  readonly listed: ReadonlySet<string>;
  /** Every known type, ordered by schema, name and OID (ties resolve to the first). */
  readonly types: readonly PgType[];
  readonly typesById: ReadonlyMap<number, PgType>;
  /** Relations by kind in resolution order: tables, foreign tables, views, materialized views. */
  readonly relationsInOrder: ReadonlyArray<readonly [section: 'Tables' | 'Views', relations: readonly Relation[]]>;
}

const NUMBER = new Set(['int2', 'int4', 'int8', 'float4', 'float8', 'numeric']);
const STRING = new Set(['bytea', 'bpchar', 'varchar', 'date', 'text', 'citext', 'time', 'timetz', 'timestamp', 'timestamptz', 'uuid', 'vector', 'interval']);

const quote = (s: string): string => JSON.stringify(s);
const entry = (schema: string, section: string, name: string): string => `Database[${quote(schema)}]['${section}'][${quote(name)}]`;

function pick<T extends { readonly schema: string }>(candidates: readonly T[], schema: string): T | undefined {
  return candidates.find((c) => c.schema === schema) ?? candidates[0];
}

/**
 * The TypeScript for type `name` (a `typname`; `_x` is an array of `x`), seen from schema
 * `current`; `typeSchema` is the schema owning the type when known.
 */
export function tsType(lookup: TypeLookup, current: string, name: string, typeSchema?: string): string {
  if (name === 'bool') return 'boolean';
  if (NUMBER.has(name)) return 'number';
  if (STRING.has(name)) return 'string';
  if (name === 'json' || name === 'jsonb') return 'Json';
  if (name === 'void') return 'undefined';
  if (name === 'record') return 'Record<string, unknown>';
  if (name.startsWith('_')) return `(${tsType(lookup, current, name.slice(1), typeSchema)})[]`;
  const preferred = typeSchema ?? current;
  const enumType = pick(
    lookup.types.filter((t) => t.name === name && t.enumValues.length > 0),
    preferred,
  );
  if (enumType !== undefined) {
    return lookup.listed.has(enumType.schema) ? entry(enumType.schema, 'Enums', enumType.name) : enumType.enumValues.map(quote).join('|');
  }
  const composite = pick(
    lookup.types.filter((t) => t.name === name && t.attributes.length > 0),
    preferred,
  );
  if (composite !== undefined) return lookup.listed.has(composite.schema) ? entry(composite.schema, 'CompositeTypes', composite.name) : 'unknown';
  const find = (match: (r: Relation) => boolean) => {
    for (const [section, relations] of lookup.relationsInOrder) {
      const found = relations.find(match);
      if (found !== undefined) return { section, relation: found };
    }
    return undefined;
  };
  const row = find((r) => r.name === name && r.schema === preferred) ?? find((r) => r.name === name);
  if (row !== undefined) return lookup.listed.has(row.relation.schema) ? `${entry(row.relation.schema, row.section, row.relation.name)}['Row']` : 'unknown';
  return 'unknown';
}

/** The TypeScript for the type with this OID, seen from `current`. */
export function tsTypeOf(lookup: TypeLookup, current: string, typeId: number): string {
  const type = lookup.typesById.get(typeId);
  return type === undefined ? 'unknown' : tsType(lookup, current, type.name, type.schema);
}

/** Adds `| null` for a nullable value; `unknown` already holds null, and a NOT NULL JSON value excludes it. */
export function withNull(ts: string, nullable: boolean): string {
  if (ts === 'Json' && !nullable) return 'NonNullable<Json>';
  if (ts === 'unknown' || ts === 'any' || !nullable) return ts;
  return `${ts} | null`;
}

/** One member of an object type: `"name"?: T`. */
export function member(name: string, optional: boolean, ts: string): string {
  return `${quote(name)}${optional ? '?' : ''}: ${ts}`;
}
