// What the TypeScript generator knows about a database: the output of the introspection
// stage (introspect.ts), the only input of the renderer (render.ts). Plain data, no I/O.

export type RelationKind = 'table' | 'foreign-table' | 'view' | 'materialized-view';

export interface Column {
  readonly name: string;
  /** The type's name (`pg_type.typname`; a domain's base type; `_x` for arrays). */
  readonly type: string;
  /** The schema that owns `type`: it tells same-named enums and composites apart. */
  readonly typeSchema: string;
  readonly nullable: boolean;
  readonly identity: 'ALWAYS' | 'BY DEFAULT' | null;
  /** A generated column (stored or virtual): never written. */
  readonly generated: boolean;
  readonly hasDefault: boolean;
  /** Writable through the relation (always for tables; for views, auto-updatable or made writable by a trigger or rule). */
  readonly updatable: boolean;
}

export interface Relation {
  readonly id: number;
  readonly schema: string;
  readonly name: string;
  readonly kind: RelationKind;
  /** Views: INSERT works through it (auto-updatable, or an INSTEAD OF trigger or unconditional INSTEAD rule). */
  readonly insertable: boolean;
  /** Views: UPDATE works through it. */
  readonly updatable: boolean;
  readonly columns: readonly Column[];
}

/** A foreign key as PostgREST sees it: between tables, or projected onto views exposing its columns. */
export interface Relationship {
  readonly constraint: string;
  readonly schema: string;
  readonly relation: string;
  readonly columns: readonly string[];
  readonly oneToOne: boolean;
  readonly referencedSchema: string;
  readonly referencedRelation: string;
  readonly referencedColumns: readonly string[];
}

export type ArgMode = 'in' | 'out' | 'inout' | 'variadic' | 'table';

export interface FunctionArg {
  readonly mode: ArgMode;
  /** '' when unnamed. */
  readonly name: string;
  readonly typeId: number;
  readonly hasDefault: boolean;
}

export interface PgFunction {
  readonly id: number;
  readonly schema: string;
  readonly name: string;
  /** Every argument, in declaration order (IN, OUT, TABLE columns…). */
  readonly args: readonly FunctionArg[];
  /** `pg_get_function_arguments`: orders overloads. */
  readonly argumentTypes: string;
  /** `pg_get_function_identity_arguments`: orders functions. */
  readonly identityArgumentTypes: string;
  readonly returnTypeId: number;
  /** `pg_get_function_result`. */
  readonly returnType: string;
  /** The relation behind the result type (a table, view or composite type), if any. */
  readonly returnRelationId: number | null;
  readonly setReturning: boolean;
  /** The planner's row estimate of a set-returning function (`ROWS`). */
  readonly rows: number | null;
}

export interface PgType {
  readonly id: number;
  readonly name: string;
  readonly schema: string;
  /** `format_type`: the name as this session's search_path shows it. */
  readonly format: string;
  /** Enum labels in order; empty for other types. */
  readonly enumValues: readonly string[];
  /** Composite types' attributes; empty for other types (and for tables' row types). */
  readonly attributes: ReadonlyArray<{ readonly name: string; readonly typeId: number }>;
  /** The relation a row type belongs to. */
  readonly relationId: number | null;
}

export interface TypegenModel {
  /** The requested schemas that exist and this role may see. */
  readonly schemas: readonly string[];
  readonly relations: readonly Relation[];
  readonly relationships: readonly Relationship[];
  readonly functions: readonly PgFunction[];
  /** Every enum and composite type (all schemas), and every type a function or attribute refers to. */
  readonly types: readonly PgType[];
}

export interface RenderOptions {
  /** Emit `isOneToOne` on relationships (the Supabase CLI does, unless `--postgrest-v9-compat`). */
  readonly detectOneToOne: boolean;
  /** Emit the `__InternalSupabase` block with this PostgREST version (hosted projects' types have it). */
  readonly postgrestVersion?: string | undefined;
}
