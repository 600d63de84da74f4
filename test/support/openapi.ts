// Checks for Groundwork's OpenAPI documents: valid OpenAPI (the published 3.1 schema, via
// @seriousme/openapi-schema-validator), internal consistency the schema cannot see (every
// $ref resolves, operation ids unique, path parameters declared), the operations as
// "METHOD /path" pairs to hold against the server's route table, and a JSON Schema
// validator (Ajv, 2020-12) for answers against the schemas a document gives them.
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { METHODS, type Document, type Operation, type PathItem } from '../../src/lib/openapi.ts';

/** The validator's complaints, or [] when the document is valid OpenAPI 3.1. */
export async function openApiErrors(doc: unknown): Promise<unknown[]> {
  const validator = new Validator();
  const result = await validator.validate(JSON.parse(JSON.stringify(doc)) as Record<string, unknown>);
  if (validator.version !== '3.1') return [`not OpenAPI 3.1 (${validator.version})`];
  return result.valid ? [] : Array.isArray(result.errors) ? result.errors : [result.errors];
}

function walk(value: unknown, visit: (node: Record<string, unknown>, at: string) => void, at = '#'): void {
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, visit, `${at}/${i}`));
  else if (typeof value === 'object' && value !== null) {
    visit(value as Record<string, unknown>, at);
    for (const [k, v] of Object.entries(value)) walk(v, visit, `${at}/${k}`);
  }
}

function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = doc;
  for (const part of ref.slice(2).split('/')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

/** What the OpenAPI schema does not check: dangling $refs, duplicate operation ids, path parameters. */
export function consistencyProblems(doc: Document): string[] {
  const problems: string[] = [];
  walk(doc, (node, at) => {
    const ref = node['$ref'];
    if (typeof ref === 'string' && resolvePointer(doc, ref) === undefined) problems.push(`${at}: $ref ${ref} does not resolve`);
  });
  const ids = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, op] of operations(item)) {
      if (op.operationId !== undefined) {
        if (ids.has(op.operationId)) problems.push(`operationId ${op.operationId} twice`);
        ids.add(op.operationId);
      }
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => ('$ref' in p ? resolvePointer(doc, p.$ref) : p) as { in?: string; name?: string });
      const declared = params.filter((p) => p.in === 'path').map((p) => p.name);
      for (const name of templated) if (!declared.includes(name)) problems.push(`${method.toUpperCase()} ${path}: path parameter {${name}} not declared`);
      for (const name of declared) if (!templated.includes(name)) problems.push(`${method.toUpperCase()} ${path}: path parameter ${name} not in the path`);
      if (Object.keys(op.responses).length === 0) problems.push(`${method.toUpperCase()} ${path}: no responses`);
    }
  }
  return problems;
}

function operations(item: PathItem): Array<[string, Operation]> {
  return METHODS.flatMap((m) => (item[m] === undefined ? [] : [[m, item[m]] as [string, Operation]]));
}

/** "GET /path" for every operation of a document. */
export function operationsOf(doc: Document): Set<string> {
  return new Set(Object.entries(doc.paths).flatMap(([path, item]) => operations(item).map(([m]) => `${m.toUpperCase()} ${path}`)));
}

/** Validates values against the document's schemas (`#/components/schemas/X` or any pointer into it). */
export function schemaChecker(doc: Document): (pointer: string, value: unknown) => string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema(JSON.parse(JSON.stringify(doc)) as object, 'doc');
  return (pointer, value) => {
    const validate = ajv.getSchema(`doc${pointer}`);
    if (validate === undefined) return [`no schema at ${pointer}`];
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  };
}

/** The JSON Pointer of an operation's response schema, e.g. `#/paths/~1signup/post/responses/200/content/application~1json/schema`. */
export function responseSchemaPointer(path: string, method: string, status: string, media = 'application/json'): string {
  const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
  return `#/paths/${esc(path)}/${method}/responses/${status}/content/${esc(media)}/schema`;
}

/**
 * The server's routes ("/auth/v1/factors/:id" → its methods), read from Fastify's printed
 * radix tree (each line's label continues its parent's) and checked with `hasRoute`, so a
 * misread tree fails loudly instead of hiding a route.
 */
export function routeTable(app: { printRoutes(): string; hasRoute(o: { method: string; url: string }): boolean }): Map<string, Set<string>> {
  const table = new Map<string, Set<string>>();
  const stack: string[] = [];
  for (const line of app.printRoutes().split('\n')) {
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (m === null) continue;
    const depth = (m[1] ?? '').length / 4;
    stack.length = depth;
    stack.push(m[2] ?? '');
    if (m[3] === undefined) continue;
    const url = stack.join('');
    const methods = new Set(m[3].split(', '));
    for (const method of methods) if (!app.hasRoute({ method, url })) throw new Error(`route table misread: ${method} ${url}`);
    table.set(url, methods);
  }
  return table;
}

/** The methods a document must cover for a route: OpenAPI's, less HEAD (GET's) and those only Fastify's `all` adds. */
export const DOCUMENTED_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH'] as const;
