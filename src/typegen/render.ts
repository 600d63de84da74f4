// The generated file's text before formatting, from the model: the `Json` and `Database`
// types, and the `Constants` object. Objects written across lines here stay expanded once
// formatted; ones written on one line are kept on one line when they fit, exactly as in
// the Supabase CLI's output. The helper types between them are fixed text (helpers-text.ts).
// Pure.
import type { Relation, Relationship, TypegenModel, RenderOptions } from './model.ts';
import { buildContext, type RenderContext, type SchemaObjects } from './render-context.ts';
import { computedFields, functionMembers, objectType } from './render-functions.ts';
import { member, tsType, withNull } from './ts-types.ts';

export interface RenderedTypes {
  /** `export type Json` and `export type Database`. */
  readonly database: string;
  /** `export const Constants`. */
  readonly constants: string;
}

const EMPTY = '[_ in never]: never';
const quote = (s: string): string => JSON.stringify(s);
const section = (name: string, members: readonly string[]): string => `${name}: ${objectType(members.length === 0 ? [EMPTY] : members, true)}`;

function columnType(ctx: RenderContext, schema: string, c: Relation['columns'][number], nullable: boolean): string {
  return withNull(tsType(ctx, schema, c.type, c.typeSchema), nullable);
}

function relationshipType(ctx: RenderContext, r: Relationship): string {
  return objectType(
    [
      `foreignKeyName: ${quote(r.constraint)}`,
      `columns: ${JSON.stringify(r.columns)}`,
      ...(ctx.options.detectOneToOne ? [`isOneToOne: ${r.oneToOne}`] : []),
      `referencedRelation: ${quote(r.referencedRelation)}`,
      `referencedColumns: ${JSON.stringify(r.referencedColumns)}`,
    ],
    true,
  );
}

/** The relation's relationships whose other side is in the same schema. */
function relationships(ctx: RenderContext, relation: Relation): string {
  const list = (ctx.relationships.get(`${relation.schema}.${relation.name}`) ?? []).filter((r) => r.referencedSchema === relation.schema);
  return `Relationships: [\n${list.map((r) => relationshipType(ctx, r)).join(',\n')}\n]`;
}

function row(ctx: RenderContext, schema: string, objects: SchemaObjects, relation: Relation): string {
  const columns = relation.columns.map((c) => member(c.name, false, columnType(ctx, schema, c, c.nullable)));
  return `Row: ${objectType([...columns, ...computedFields(ctx, schema, objects.functions, relation)], true)}`;
}

function table(ctx: RenderContext, schema: string, objects: SchemaObjects, t: Relation): string {
  const write = (optional: (c: Relation['columns'][number]) => boolean) =>
    objectType(
      t.columns.map((c) => (c.identity === 'ALWAYS' || c.generated ? `${quote(c.name)}?: never` : member(c.name, optional(c), columnType(ctx, schema, c, c.nullable)))),
      true,
    );
  return `${quote(t.name)}: ${objectType(
    [
      row(ctx, schema, objects, t),
      `Insert: ${write((c) => c.nullable || c.identity !== null || c.hasDefault)}`,
      `Update: ${write(() => true)}`,
      relationships(ctx, t),
    ],
    true,
  )}`;
}

function view(ctx: RenderContext, schema: string, objects: SchemaObjects, v: Relation): string {
  // Through a view every written column is optional and may be null; the others cannot be written.
  const write = () => objectType(v.columns.map((c) => (c.updatable ? member(c.name, true, columnType(ctx, schema, c, true)) : `${quote(c.name)}?: never`)), true);
  return `${quote(v.name)}: ${objectType(
    [
      row(ctx, schema, objects, v),
      ...(v.insertable ? [`Insert: ${write()}`] : []),
      ...(v.updatable ? [`Update: ${write()}`] : []),
      relationships(ctx, v),
    ],
    true,
  )}`;
}

function schemaType(ctx: RenderContext, schema: string): string {
  const objects = ctx.bySchema.get(schema) as SchemaObjects;
  const enums = objects.enums.map((e) => `${quote(e.name)}: ${e.enumValues.map(quote).join(' | ')}`);
  const composites = objects.composites.map(
    (c) =>
      `${quote(c.name)}: ${objectType(
        c.attributes.map((a) => {
          const type = ctx.typesById.get(a.typeId);
          return member(a.name, false, type === undefined ? 'unknown' : withNull(tsType(ctx, schema, type.name, type.schema), true));
        }),
        true,
      )}`,
  );
  return `${quote(schema)}: ${objectType(
    [
      section(
        'Tables',
        objects.tables.map((t) => table(ctx, schema, objects, t)),
      ),
      section(
        'Views',
        objects.views.map((v) => view(ctx, schema, objects, v)),
      ),
      section('Functions', functionMembers(ctx, schema, objects.functions)),
      section('Enums', enums),
      section('CompositeTypes', composites),
    ],
    true,
  )}`;
}

const JSON_TYPE = 'export type Json = string | number | boolean | null | { [key: string]: Json | undefined } | Json[]';

export function renderTypes(model: TypegenModel, options: RenderOptions): RenderedTypes {
  const ctx = buildContext(model, options);
  const internal =
    options.postgrestVersion === undefined || options.postgrestVersion === ''
      ? []
      : [
          '// Allows to automatically instantiate createClient with right options',
          "// instead of createClient<Database, { PostgrestVersion: 'XX' }>(URL, KEY)",
          `__InternalSupabase: ${objectType([`PostgrestVersion: ${quote(options.postgrestVersion)}`], true)}`,
        ];
  const database = `${JSON_TYPE}\n\nexport type Database = ${objectType([...internal, ...ctx.schemas.map((s) => schemaType(ctx, s))], true)}\n`;
  const constants = ctx.schemas.map((s) => {
    const enums = (ctx.bySchema.get(s) as SchemaObjects).enums.map((e) => `${quote(e.name)}: [${e.enumValues.map(quote).join(', ')}],`);
    return `${quote(s)}: {\nEnums: {\n${enums.join('\n')}\n},\n},`;
  });
  return { database, constants: `export const Constants = {\n${constants.join('\n')}\n} as const\n` };
}
