// Everything the renderer looks up, built once from the model: what each generated schema
// holds (in output order), the functions PostgREST can call, relationships by relation,
// and the type lookups. Pure.
import type { FunctionArg, PgFunction, PgType, Relation, Relationship, RenderOptions, TypegenModel } from './model.ts';
import { compareNames, type TypeLookup } from './ts-types.ts';

export interface Callable {
  readonly fn: PgFunction;
  /** The arguments a caller passes: IN, INOUT and VARIADIC, ordered by name. */
  readonly inArgs: readonly FunctionArg[];
}

export interface SchemaObjects {
  /** Tables and foreign tables, by name. */
  readonly tables: readonly Relation[];
  /** Views and materialized views, by name. */
  readonly views: readonly Relation[];
  /** Functions PostgREST can call (or that explain why not), by name. */
  readonly functions: readonly Callable[];
  readonly enums: readonly PgType[];
  readonly composites: readonly PgType[];
}

export interface RenderContext extends TypeLookup {
  readonly options: RenderOptions;
  readonly schemas: readonly string[];
  readonly bySchema: ReadonlyMap<string, SchemaObjects>;
  /** Types that are a relation's row type (tables, views, composite types), by type OID. */
  readonly relationTypes: ReadonlyMap<number, PgType>;
  /** Names of the generated schemas' relations by OID. */
  readonly relationNames: ReadonlyMap<number, string>;
  /** Relationships by `schema.relation`, in output order. */
  readonly relationships: ReadonlyMap<string, readonly Relationship[]>;
}

// PostgREST passes a single unnamed argument as the request body only for these (json, jsonb, text).
const BODY_TYPES = new Set([114, 3802, 25]);
const IN_MODES = new Set(['in', 'inout', 'variadic']);

const bySchemaAndName = <T extends { schema: string; name: string; id: number }>(a: T, b: T): number =>
  compareNames(a.schema, b.schema) || compareNames(a.name, b.name) || a.id - b.id;

/** Whether PostgREST can call the function (or the file should say why it cannot). */
function callable(inArgs: readonly FunctionArg[], relationTypes: ReadonlyMap<number, PgType>): boolean {
  const unnamed = inArgs.filter((a) => a.name === '');
  if (unnamed.length === 0) return true;
  if (unnamed.every((a) => a.hasDefault && BODY_TYPES.has(a.typeId))) return true;
  const only = inArgs.length === 1 ? inArgs[0] : undefined;
  return only !== undefined && only.name === '' && (BODY_TYPES.has(only.typeId) || relationTypes.has(only.typeId));
}

export function buildContext(model: TypegenModel, options: RenderOptions): RenderContext {
  const schemas = [...model.schemas].sort(compareNames);
  const listed = new Set(schemas);
  const types = [...model.types].sort(bySchemaAndName);
  const relations = [...model.relations].sort(bySchemaAndName).map((r) => ({ ...r, columns: [...r.columns].sort((a, b) => compareNames(a.name, b.name)) }));
  const ofKind = (kind: Relation['kind']) => relations.filter((r) => r.kind === kind);
  const relationTypes = new Map(types.filter((t) => t.relationId !== null).map((t) => [t.id, t]));
  const functions = [...model.functions]
    .sort((a, b) => compareNames(a.schema, b.schema) || compareNames(a.name, b.name) || compareNames(a.identityArgumentTypes, b.identityArgumentTypes) || a.id - b.id)
    .map((fn) => ({ ...fn, args: [...fn.args].sort((a, b) => compareNames(a.name, b.name)) }));

  const bySchema = new Map<string, SchemaObjects>();
  for (const schema of schemas) {
    const here = <T extends { schema: string }>(items: readonly T[]) => items.filter((i) => i.schema === schema);
    const byName = <T extends { name: string }>(items: T[]) => items.sort((a, b) => compareNames(a.name, b.name));
    bySchema.set(schema, {
      tables: byName([...here(ofKind('table')), ...here(ofKind('foreign-table'))]),
      views: byName([...here(ofKind('view')), ...here(ofKind('materialized-view'))]),
      functions: here(functions)
        .map((fn) => ({ fn, inArgs: fn.args.filter((a) => IN_MODES.has(a.mode)) }))
        .filter((c) => callable(c.inArgs, relationTypes)),
      enums: here(types).filter((t) => t.enumValues.length > 0),
      composites: here(types).filter((t) => t.attributes.length > 0),
    });
  }

  const relationships = new Map<string, Relationship[]>();
  const sorted = [...model.relationships].sort(
    (a, b) =>
      compareNames(a.constraint, b.constraint) ||
      compareNames(a.referencedRelation, b.referencedRelation) ||
      compareNames(JSON.stringify(a.referencedColumns), JSON.stringify(b.referencedColumns)),
  );
  for (const r of sorted) {
    const key = `${r.schema}.${r.relation}`;
    relationships.set(key, [...(relationships.get(key) ?? []), r]);
  }

  return {
    options,
    schemas,
    listed,
    types,
    typesById: new Map(types.map((t) => [t.id, t])),
    relationsInOrder: [
      ['Tables', ofKind('table')],
      ['Tables', ofKind('foreign-table')],
      ['Views', ofKind('view')],
      ['Views', ofKind('materialized-view')],
    ],
    bySchema,
    relationTypes,
    relationNames: new Map(relations.map((r) => [r.id, r.name])),
    relationships,
  };
}
