// The OpenAPI (Swagger 2.0) document PostgREST serves at `/`: every table, view and
// function of the selected schema, with definitions built from the schema cache.
import type { SchemaCache, Column, Relation, RoutineInfo } from '../schema-cache/types.ts';
import { relationshipsOf } from './plan/relationships.ts';

type Json = Record<string, unknown>;

function typeOf(c: { udtName: string; type: string }): Json {
  const u = c.udtName;
  if (u.startsWith('_')) return { type: 'array', items: typeOf({ udtName: u.slice(1), type: c.type.replace(/\[\]$/, '') }), format: c.type };
  if (['int2', 'int4', 'int8'].includes(u)) return { type: 'integer', format: c.type };
  if (['float4', 'float8', 'numeric'].includes(u)) return { type: 'number', format: c.type };
  if (u === 'bool') return { type: 'boolean', format: c.type };
  if (u === 'json' || u === 'jsonb') return { format: c.type };
  return { type: 'string', format: c.type };
}

function definition(r: Relation, cache: SchemaCache): Json {
  const fks = (relationshipsOf(cache).get(`${r.schema}.${r.name}`) ?? []).filter((x) => x.cardinality === 'many-to-one' || (x.cardinality === 'one-to-one' && x.columns.length > 0));
  const properties: Json = {};
  for (const c of r.columns) {
    const notes: string[] = [];
    if (c.comment !== null) notes.push(c.comment);
    if (r.primaryKey.includes(c.name)) notes.push('Note:\nThis is a Primary Key.<pk/>');
    for (const fk of fks) {
      const pair = fk.columns.find(([o]) => o === c.name);
      if (pair !== undefined) notes.push(`Note:\nThis is a Foreign Key to \`${fk.target.name}.${pair[1]}\`.<fk table='${fk.target.name}' column='${pair[1]}'/>`);
    }
    properties[c.name] = {
      ...typeOf(c),
      ...(c.default === null ? {} : { default: c.default }),
      ...(c.enumValues === null ? {} : { enum: c.enumValues }),
      ...(notes.length === 0 ? {} : { description: notes.join('\n\n') }),
    };
  }
  const required = r.columns.filter((c: Column) => !c.nullable && c.default === null && c.identity === null && !c.generated).map((c) => c.name);
  return { type: 'object', ...(required.length > 0 ? { required } : {}), properties, ...(r.comment === null ? {} : { description: r.comment }) };
}

function tablePaths(r: Relation): Json {
  const ref = (p: string) => ({ $ref: `#/parameters/${p}` });
  const rowFilters = r.columns.map((c) => ({ $ref: `#/parameters/rowFilter.${r.name}.${c.name}` }));
  const ok = { description: 'OK', schema: { type: 'array', items: { $ref: `#/definitions/${r.name}` } } };
  const paths: Json = {
    get: { tags: [r.name], parameters: [...rowFilters, ref('select'), ref('order'), ref('range'), ref('rangeUnit'), ref('offset'), ref('limit'), ref('preferCount')], responses: { '200': ok, '206': { description: 'Partial Content' } } },
  };
  if (r.insertable) paths['post'] = { tags: [r.name], parameters: [ref(`body.${r.name}`), ref('select'), ref('preferPost')], responses: { '201': { description: 'Created' } } };
  if (r.updatable) paths['patch'] = { tags: [r.name], parameters: [...rowFilters, ref(`body.${r.name}`), ref('preferReturn')], responses: { '204': { description: 'No Content' } } };
  if (r.deletable) paths['delete'] = { tags: [r.name], parameters: [...rowFilters, ref('preferReturn')], responses: { '204': { description: 'No Content' } } };
  return paths;
}

function routinePaths(f: RoutineInfo): Json {
  const ins = f.args.filter((a) => a.mode === 'in' || a.mode === 'inout' || a.mode === 'variadic');
  const properties = Object.fromEntries(ins.map((a) => [a.name, typeOf({ udtName: a.type, type: a.type })]));
  const required = ins.filter((a) => !a.hasDefault).map((a) => a.name);
  const tag = `(rpc) ${f.name}`;
  const paths: Json = {
    post: {
      tags: [tag],
      parameters: [{ required: true, schema: { required, type: 'object', properties }, in: 'body', name: 'args' }, { $ref: '#/parameters/preferParams' }],
      responses: { '200': { description: 'OK' } },
    },
  };
  if (f.volatility !== 'volatile') {
    paths['get'] = { tags: [tag], parameters: ins.map((a) => ({ ...typeOf({ udtName: a.type, type: a.type }), in: 'query', name: a.name, required: !a.hasDefault })), responses: { '200': { description: 'OK' } } };
  }
  return paths;
}

export function openApiDocument(cache: SchemaCache, schema: string, version: string): Json {
  const relations = [...cache.relations.values()].filter((r) => r.schema === schema);
  const routines = [...cache.routines.values()].flat().filter((f) => f.schema === schema && f.returnType !== 'trigger');
  const paths: Json = { '/': { get: { tags: ['Introspection'], summary: 'OpenAPI description (this document)', produces: ['application/openapi+json', 'application/json'], responses: { '200': { description: 'OK' } } } } };
  for (const r of relations) paths[`/${r.name}`] = tablePaths(r);
  for (const f of routines) paths[`/rpc/${f.name}`] = routinePaths(f);
  const parameters: Json = {
    preferParams: { name: 'Prefer', description: 'Preference', required: false, enum: ['params=single-object'], in: 'header', type: 'string' },
    preferReturn: { name: 'Prefer', description: 'Preference', required: false, enum: ['return=representation', 'return=minimal', 'return=none'], in: 'header', type: 'string' },
    preferCount: { name: 'Prefer', description: 'Preference', required: false, enum: ['count=none'], in: 'header', type: 'string' },
    preferPost: { name: 'Prefer', description: 'Preference', required: false, enum: ['return=representation', 'return=minimal', 'return=none', 'resolution=ignore-duplicates', 'resolution=merge-duplicates'], in: 'header', type: 'string' },
    select: { name: 'select', description: 'Filtering Columns', required: false, in: 'query', type: 'string' },
    on_conflict: { name: 'on_conflict', description: 'On Conflict', required: false, in: 'query', type: 'string' },
    order: { name: 'order', description: 'Ordering', required: false, in: 'query', type: 'string' },
    range: { name: 'Range', description: 'Limiting and Pagination', required: false, in: 'header', type: 'string' },
    rangeUnit: { name: 'Range-Unit', description: 'Limiting and Pagination', required: false, default: 'items', in: 'header', type: 'string' },
    offset: { name: 'offset', description: 'Limiting and Pagination', required: false, in: 'query', type: 'string' },
    limit: { name: 'limit', description: 'Limiting and Pagination', required: false, in: 'query', type: 'string' },
  };
  for (const r of relations) {
    parameters[`body.${r.name}`] = { name: r.name, description: r.name, required: false, in: 'body', schema: { $ref: `#/definitions/${r.name}` } };
    for (const c of r.columns) parameters[`rowFilter.${r.name}.${c.name}`] = { name: c.name, required: false, format: c.type, in: 'query', type: 'string' };
  }
  return {
    swagger: '2.0',
    info: { description: '', title: 'standard public schema', version },
    host: '',
    basePath: '/',
    schemes: ['http'],
    consumes: ['application/json', 'application/vnd.pgrst.object+json;nulls=stripped', 'application/vnd.pgrst.object+json', 'text/csv'],
    produces: ['application/json', 'application/vnd.pgrst.object+json;nulls=stripped', 'application/vnd.pgrst.object+json', 'text/csv'],
    paths,
    definitions: Object.fromEntries(relations.map((r) => [r.name, definition(r, cache)])),
    parameters,
    externalDocs: { description: 'Groundwork REST API (PostgREST-compatible)', url: 'https://postgrest.org/en/v13/references/api.html' },
  };
}
