// OpenAPI 3.1 as typed data: the subset Groundwork's own documents use (Auth's, the admin
// one), and how a documented path maps back to the Fastify routes that serve it, so tests
// can hold a document and the server's route table to each other.

/** A JSON Schema (2020-12, OpenAPI 3.1's dialect), as far as our documents need it. */
export interface Schema {
  readonly $ref?: string;
  readonly type?: SchemaType | readonly SchemaType[];
  readonly format?: string;
  readonly title?: string;
  readonly description?: string;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | Schema;
  readonly items?: Schema;
  readonly enum?: readonly (string | number | boolean | null)[];
  readonly const?: string | number | boolean | null;
  readonly oneOf?: readonly Schema[];
  readonly anyOf?: readonly Schema[];
  readonly allOf?: readonly Schema[];
  readonly examples?: readonly unknown[];
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly maxProperties?: number;
}
export type SchemaType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

export interface Ref {
  readonly $ref: string;
}

export interface Parameter {
  readonly name: string;
  readonly in: 'query' | 'header' | 'path' | 'cookie';
  readonly required?: boolean;
  readonly description?: string;
  readonly schema: Schema;
}

export interface MediaType {
  readonly schema?: Schema;
  readonly example?: unknown;
}

export interface RequestBody {
  readonly description?: string;
  readonly required?: boolean;
  readonly content: Readonly<Record<string, MediaType>>;
}

export interface Header {
  readonly description?: string;
  readonly schema: Schema;
}

export interface Response {
  readonly description: string;
  readonly headers?: Readonly<Record<string, Header | Ref>>;
  readonly content?: Readonly<Record<string, MediaType>>;
}

export type SecurityRequirement = Readonly<Record<string, readonly string[]>>;

export interface Operation {
  readonly operationId?: string;
  readonly summary?: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly parameters?: readonly (Parameter | Ref)[];
  readonly requestBody?: RequestBody | Ref;
  readonly responses: Readonly<Record<string, Response | Ref>>;
  readonly security?: readonly SecurityRequirement[];
  readonly deprecated?: boolean;
}

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type Method = (typeof METHODS)[number];

export type PathItem = {
  readonly summary?: string;
  readonly description?: string;
  readonly parameters?: readonly (Parameter | Ref)[];
} & { readonly [M in Method]?: Operation };

export interface SecurityScheme {
  readonly type: 'apiKey' | 'http';
  readonly description?: string;
  readonly name?: string;
  readonly in?: 'header' | 'query' | 'cookie';
  readonly scheme?: string;
  readonly bearerFormat?: string;
}

export interface Components {
  readonly schemas?: Readonly<Record<string, Schema>>;
  readonly responses?: Readonly<Record<string, Response>>;
  readonly parameters?: Readonly<Record<string, Parameter>>;
  readonly headers?: Readonly<Record<string, Header>>;
  readonly securitySchemes?: Readonly<Record<string, SecurityScheme>>;
}

export interface Tag {
  readonly name: string;
  readonly description?: string;
}

export interface Document {
  readonly openapi: '3.1.0';
  readonly info: { readonly title: string; readonly version: string; readonly description?: string };
  readonly servers?: readonly { readonly url: string; readonly description?: string }[];
  readonly tags?: readonly Tag[];
  readonly security?: readonly SecurityRequirement[];
  readonly paths: Readonly<Record<string, PathItem>>;
  readonly components?: Components;
}

/**
 * One documented path and the Fastify routes (relative to the document's server URL) that
 * serve it. By default `{name}` is `:name`; a wildcard route (`/sso/*`) is named explicitly.
 */
export interface DocumentedPath {
  readonly path: string;
  readonly routes?: readonly string[];
  readonly item: PathItem;
}

/** The Fastify routes a documented path stands for. */
export function routesOf(p: DocumentedPath): readonly string[] {
  return p.routes ?? [p.path.replace(/\{([^}]+)\}/g, ':$1')];
}

/** The `paths` object of a document; two entries for one path are a mistake. */
export function pathsOf(documented: readonly DocumentedPath[]): Record<string, PathItem> {
  const paths: Record<string, PathItem> = {};
  for (const p of documented) {
    if (paths[p.path] !== undefined) throw new Error(`${p.path} is documented twice`);
    paths[p.path] = p.item;
  }
  return paths;
}

export const schemaRef = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
export const responseRef = (name: string): Ref => ({ $ref: `#/components/responses/${name}` });
export const parameterRef = (name: string): Ref => ({ $ref: `#/components/parameters/${name}` });

/** A JSON response. */
export const jsonResponse = (description: string, schema: Schema, headers?: Record<string, Header | Ref>): Response => ({
  description,
  ...(headers === undefined ? {} : { headers }),
  content: { 'application/json': { schema } },
});

/** A JSON request body. */
export const jsonBody = (schema: Schema, required = true, description?: string): RequestBody => ({
  ...(description === undefined ? {} : { description }),
  required,
  content: { 'application/json': { schema } },
});

/** A path parameter (always required in OpenAPI). */
export const pathParam = (name: string, description: string, schema: Schema = { type: 'string' }): Parameter => ({ name, in: 'path', required: true, description, schema });

/** An optional query parameter. */
export const queryParam = (name: string, description: string, schema: Schema = { type: 'string' }, required = false): Parameter => ({ name, in: 'query', required, description, schema });

/** A string that may be null. */
export const nullable = (schema: Schema): Schema => ({ ...schema, type: [schema.type as SchemaType, 'null'] });
