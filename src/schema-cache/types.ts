// The schema cache: what the database holds, loaded by one introspection query and kept as
// an immutable value. Planners receive it as a parameter; nothing downstream queries the
// catalog. A reload builds a new value and swaps it in whole.

export type RelationKind = 'table' | 'view' | 'materialized_view' | 'foreign_table' | 'partitioned_table';
export type Volatility = 'immutable' | 'stable' | 'volatile';
export type ArgMode = 'in' | 'out' | 'inout' | 'variadic' | 'table';

export interface Column {
  readonly name: string;
  readonly position: number;
  /** The SQL type as format_type() writes it, e.g. `character varying(255)`, `text[]`. */
  readonly type: string;
  readonly typeOid: number;
  /** The type's catalog name (`int4`, `_text` for text[]); useful for casts and OpenAPI. */
  readonly udtName: string;
  readonly nullable: boolean;
  readonly default: string | null;
  readonly identity: 'always' | 'by_default' | null;
  readonly generated: boolean;
  readonly enumValues: readonly string[] | null;
  readonly comment: string | null;
}

export interface Relation {
  readonly schema: string;
  readonly name: string;
  readonly kind: RelationKind;
  readonly comment: string | null;
  readonly rlsEnabled: boolean;
  readonly insertable: boolean;
  readonly updatable: boolean;
  readonly deletable: boolean;
  readonly columns: readonly Column[];
  readonly primaryKey: readonly string[];
  /** Column sets of the primary key and every UNIQUE constraint. */
  readonly uniqueKeys: readonly (readonly string[])[];
}

export interface ForeignKey {
  readonly name: string;
  readonly schema: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly refSchema: string;
  readonly refTable: string;
  readonly refColumns: readonly string[];
}

export interface FunctionArg {
  readonly name: string;
  readonly type: string;
  readonly typeOid: number;
  readonly mode: ArgMode;
  readonly hasDefault: boolean;
  /** Set when the argument's type is the row type of a table or view. */
  readonly relation: { readonly schema: string; readonly name: string } | null;
}

export interface RoutineInfo {
  readonly schema: string;
  readonly name: string;
  readonly args: readonly FunctionArg[];
  readonly returnType: string;
  readonly returnTypeOid: number;
  readonly returnsSet: boolean;
  /** Set when the function returns rows of a table or view (composite type of a relation). */
  readonly returnsRelation: { readonly schema: string; readonly name: string } | null;
  /** Set when it returns a standalone composite type (`create type … as (…)`): that type's columns. */
  readonly returnColumns: ReadonlyArray<{ readonly name: string; readonly type: string; readonly typeOid: number }>;
  readonly volatility: Volatility;
  readonly comment: string | null;
  /** The planner's row estimate (ROWS n); 1 makes a set-returning function to-one. */
  readonly rows: number;
}

/** A column of a table, by name: where a view column comes from. */
export interface BaseColumn {
  readonly schema: string;
  readonly table: string;
  readonly column: string;
}

export interface SchemaCache {
  readonly loadedAt: string;
  /** Keyed by `schema.name`. */
  readonly relations: ReadonlyMap<string, Relation>;
  readonly foreignKeys: readonly ForeignKey[];
  /** Keyed by `schema.name`; overloads share a key. */
  readonly routines: ReadonlyMap<string, readonly RoutineInfo[]>;
  /** Roles the server may switch a request to (the authenticator role's memberships). */
  readonly roles: ReadonlySet<string>;
  readonly schemas: readonly string[];
  /** Milliseconds per role that has a statement_timeout (Supabase: anon 3 s, authenticated 8 s). */
  readonly statementTimeouts: ReadonlyMap<string, number>;
  /** For each view (`schema.view`): its columns' base-table columns. */
  readonly viewSources: ReadonlyMap<string, ReadonlyMap<string, BaseColumn>>;
}

export const qualified = (schema: string, name: string): string => `${schema}.${name}`;
