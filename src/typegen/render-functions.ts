// The `Functions` section and computed fields: each function's `Args`, `Returns` and, for
// row-returning ones, the `SetofOptions` postgrest-js uses to type embedded calls; overloads
// PostgREST cannot tell apart, and row-argument functions it cannot call, get an error
// literal as their result, the text PostgREST would answer with. Pure.
import type { Callable, RenderContext } from './render-context.ts';
import type { PgFunction, Relation } from './model.ts';
import { compareNames, member, tsType, tsTypeOf, withNull } from './ts-types.ts';

const RENAME_HINT = 'Try renaming the parameters or the function itself in the database so function overloading can be resolved';

/** An object type's members, one per line; `expanded` keeps it on several lines whatever its width. */
export const objectType = (members: readonly string[], expanded: boolean): string =>
  expanded ? `{\n${members.join('\n')}\n}` : `{ ${members.join('; ')} }`;

/** A relation's columns as an object type, each `name: T` (nullable ones `| null`). */
export function rowType(ctx: RenderContext, schema: string, relation: Relation): string {
  return objectType(
    relation.columns.map((c) => member(c.name, false, withNull(tsType(ctx, schema, c.type, c.typeSchema), c.nullable))),
    true,
  );
}

/** The name of the relation (or composite type) a function's result is a row of. */
function resultRelationName(ctx: RenderContext, fn: PgFunction): string | null {
  if (fn.returnRelationId === null || fn.returnRelationId === 0) return null;
  return ctx.relationNames.get(fn.returnRelationId) ?? ctx.relationTypes.get(fn.returnTypeId)?.name ?? null;
}

/** The function's result type, before any `[]` for a set. */
export function resultType(ctx: RenderContext, schema: string, fn: PgFunction): string {
  const tableColumns = fn.args.filter((a) => a.mode === 'table');
  if (tableColumns.length > 0) return objectType(tableColumns.map((a) => member(a.name, false, tsTypeOf(ctx, schema, a.typeId))), true);
  const here = ctx.bySchema.get(schema);
  const relation = here?.tables.find((t) => t.id === fn.returnRelationId) ?? here?.views.find((v) => v.id === fn.returnRelationId);
  if (relation !== undefined) return rowType(ctx, schema, relation);
  return tsTypeOf(ctx, schema, fn.returnTypeId);
}

/** `Returns` with `[]` for a set and the `SetofOptions` member when the result is a row type. */
function returnsMembers(ctx: RenderContext, fn: PgFunction, returns: string): string[] {
  const target = resultRelationName(ctx, fn);
  const setOfRelation = fn.setReturning && fn.returnRelationId !== null;
  const manyRows = fn.rows !== null && fn.rows > 1;
  let setof: { from: string; oneToOne: boolean; setReturning: boolean } | undefined =
    target === null ? undefined : { from: '*', oneToOne: !manyRows, setReturning: fn.setReturning };
  const only = fn.args.length === 1 ? fn.args[0] : undefined;
  const source = only === undefined ? undefined : ctx.relationTypes.get(only.typeId);
  if (source !== undefined && target !== null) {
    setof = setOfRelation ? { from: source.format, oneToOne: !manyRows, setReturning: true } : { from: source.format, oneToOne: true, setReturning: false };
  }
  // A ROWS 1 estimate makes one row (not an array) only where SetofOptions lets postgrest-js restore the array.
  const single = !manyRows && target !== null;
  const out = [`Returns: ${returns}${fn.setReturning && !single ? '[]' : ''}`];
  if (setof !== undefined && target !== null) {
    out.push(
      `SetofOptions: ${objectType(
        [`from: ${JSON.stringify(setof.from)}`, `to: ${JSON.stringify(target)}`, `isOneToOne: ${setof.oneToOne}`, `isSetofReturn: ${setof.setReturning}`],
        true,
      )}`,
    );
  }
  return out;
}

/** PostgREST's answer when it cannot choose between overloads, if this one is ambiguous. */
function overloadConflict(ctx: RenderContext, schema: string, group: readonly Callable[], self: Callable): string | undefined {
  if (group.length <= 1) return undefined;
  const others = group.filter((c) => c !== self);
  const { fn, inArgs } = self;
  if (inArgs.length === 0) {
    const rival = others.find((c) => c.inArgs.length === 1 && c.inArgs[0]?.name === '' && c.inArgs[0].hasDefault);
    if (rival === undefined) return undefined;
    const result = ctx.typesById.get(rival.fn.returnTypeId)?.name ?? 'unknown';
    return `Could not choose the best candidate function between: ${schema}.${fn.name}(), ${schema}.${fn.name}( => ${result}). ${RENAME_HINT}`;
  }
  const arg = inArgs.length === 1 ? inArgs[0] : undefined;
  if (arg === undefined || arg.name === '') return undefined;
  const rivals = others.filter((c) => c.inArgs.length === 1 && c.inArgs[0]?.name === arg.name && c.inArgs[0].typeId !== arg.typeId);
  if (rivals.length === 0) return undefined;
  const listed = [self, ...rivals]
    .sort((a, b) => (a.inArgs[0]?.typeId ?? 0) - (b.inArgs[0]?.typeId ?? 0))
    .map((c) => `${schema}.${fn.name}(${c.inArgs.map((a) => `${a.name} => ${ctx.typesById.get(a.typeId)?.name ?? 'unknown'}`).join(', ')})`);
  return `Could not choose the best candidate function between: ${listed.join(', ')}. ${RENAME_HINT}`;
}

function signature(ctx: RenderContext, schema: string, group: readonly Callable[], self: Callable): string {
  const { fn, inArgs } = self;
  const args = inArgs.length === 0 ? 'Record<PropertyKey, never>' : objectType(inArgs.map((a) => member(a.name, a.hasDefault, tsTypeOf(ctx, schema, a.typeId))), false);
  const conflict = overloadConflict(ctx, schema, group, self);
  const only = inArgs.length === 1 ? inArgs[0] : undefined;
  const uncallableRow = only !== undefined && only.name === '' && ctx.relationTypes.has(only.typeId) && resultRelationName(ctx, fn) === null;
  let returns: string;
  if (conflict !== undefined) returns = `{ error: true } & ${JSON.stringify(conflict)}`;
  else if (uncallableRow) {
    returns = `{ error: true } & ${JSON.stringify(`the function ${schema}.${fn.name} with parameter or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache`)}`;
  } else returns = resultType(ctx, schema, fn);
  return objectType([`Args: ${args}`, ...returnsMembers(ctx, fn, returns)], false);
}

/** Group keys in the order a JavaScript object lists them: array indices first, ascending. */
function objectKeyOrder(names: readonly string[]): string[] {
  const index = (n: string) => /^(0|[1-9]\d*)$/.test(n) && Number(n) < 2 ** 32 - 1;
  return [...names.filter(index).sort((a, b) => Number(a) - Number(b)), ...names.filter((n) => !index(n))];
}

/** The members of a schema's `Functions` section: overloads of a name as a union. */
export function functionMembers(ctx: RenderContext, schema: string, functions: readonly Callable[]): string[] {
  const groups = new Map<string, Callable[]>();
  for (const c of functions) groups.set(c.fn.name, [...(groups.get(c.fn.name) ?? []), c]);
  return objectKeyOrder([...groups.keys()]).map((name) => {
    const group = [...(groups.get(name) ?? [])].sort((a, b) => compareNames(a.fn.argumentTypes, b.fn.argumentTypes) || compareNames(a.fn.returnType, b.fn.returnType));
    return `${JSON.stringify(name)}:\n${group.map((c) => signature(ctx, schema, group, c)).join(' |\n')}`;
  });
}

/** Functions that read as columns of `relation` (one argument of its row type), with their types. */
export function computedFields(ctx: RenderContext, schema: string, functions: readonly Callable[], relation: Relation): string[] {
  return functions
    .filter(({ fn, inArgs }) => {
      const only = inArgs.length === 1 ? inArgs[0] : undefined;
      const rowType = only === undefined ? undefined : ctx.relationTypes.get(only.typeId);
      return rowType !== undefined ? rowType.relationId === relation.id : fn.argumentTypes === relation.name;
    })
    .map(({ fn }) => member(fn.name, false, withNull(resultType(ctx, schema, fn), true)));
}
