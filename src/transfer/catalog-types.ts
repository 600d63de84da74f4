// What a dump reads from the source's catalog, as plain values: the DDL builders
// (ddl-*.ts) turn these into statements without touching a database, so they are tested
// with hand-made catalogs. Expressions (defaults, view bodies, checks) are PostgreSQL's own
// deparsed text, read with an empty search_path so every name in them is qualified.

/** One privilege of an ACL; grantee '' is PUBLIC. */
export interface AclEntry {
  readonly grantee: string;
  readonly privilege: string;
  readonly grantable: boolean;
}

/** A node of the creation order: `rel:<oid>`, `fn:<oid>` or `type:<oid>`. */
export type NodeKey = string;

export interface Owned {
  readonly owner: string;
  readonly comment: string | null;
}

export interface SchemaInfo extends Owned {
  readonly name: string;
  readonly acl: readonly AclEntry[];
}

export interface ExtensionInfo {
  readonly name: string;
  readonly schema: string;
}

export interface TypeInfo extends Owned {
  readonly key: NodeKey;
  readonly schema: string;
  readonly name: string;
  readonly kind: 'enum' | 'domain' | 'composite';
  readonly labels: readonly string[];
  /** Domains: base type, NOT NULL, default, collation, CHECK constraints. */
  readonly base: string | null;
  readonly notNull: boolean;
  readonly default: string | null;
  readonly collation: string | null;
  readonly checks: ReadonlyArray<{ readonly name: string; readonly definition: string }>;
  /** Composite types: their attributes. */
  readonly attributes: ReadonlyArray<{ readonly name: string; readonly type: string; readonly collation: string | null }>;
}

export interface SequenceOptions {
  readonly type: string;
  readonly start: string;
  readonly increment: string;
  readonly min: string;
  readonly max: string;
  readonly cache: string;
  readonly cycle: boolean;
}

export interface SequenceInfo extends Owned {
  readonly key: NodeKey;
  readonly schema: string;
  readonly name: string;
  readonly options: SequenceOptions;
  /** The column an identity (`identity`) or serial (`owned`) sequence belongs to. */
  readonly ownedBy: { readonly table: string; readonly column: string; readonly identity: boolean } | null;
  readonly acl: readonly AclEntry[];
}

export interface ColumnInfo {
  readonly name: string;
  readonly type: string;
  readonly notNull: boolean;
  /** The default expression; null for generated columns (see `generated`). */
  readonly default: string | null;
  /** '' none, 'a' always, 'd' by default. */
  readonly identity: '' | 'a' | 'd';
  /** '' none, 's' stored, 'v' virtual (PostgreSQL 18). */
  readonly generated: '' | 's' | 'v';
  readonly generatedExpr: string | null;
  readonly collation: string | null;
  readonly comment: string | null;
  /** Column privileges; empty when none were granted. */
  readonly acl: readonly AclEntry[];
}

export interface RelationInfo extends Owned {
  readonly key: NodeKey;
  readonly schema: string;
  readonly name: string;
  readonly kind: 'table' | 'view' | 'matview';
  readonly unlogged: boolean;
  readonly columns: readonly ColumnInfo[];
  readonly options: readonly string[];
  readonly rls: boolean;
  readonly forceRls: boolean;
  /** 'd' default, 'n' nothing, 'f' full, 'i' the index `replicaIndex`. */
  readonly replicaIdentity: 'd' | 'n' | 'f' | 'i';
  readonly replicaIndex: string | null;
  /** Views and materialized views: the query. */
  readonly query: string | null;
  readonly populated: boolean;
  readonly acl: readonly AclEntry[];
}

export interface FunctionInfo extends Owned {
  readonly key: NodeKey;
  readonly schema: string;
  readonly name: string;
  /** Identity arguments, as `grant … on function f(<args>)` takes them. */
  readonly args: string;
  readonly procedure: boolean;
  /** `create or replace function …`, from pg_get_functiondef. */
  readonly definition: string;
  readonly acl: readonly AclEntry[];
}

interface OnTable {
  readonly schema: string;
  readonly table: string;
  readonly name: string;
}

export interface ConstraintInfo extends OnTable {
  /** p primary key, u unique, c check, f foreign key, x exclusion. */
  readonly type: 'p' | 'u' | 'c' | 'f' | 'x';
  readonly definition: string;
  readonly comment: string | null;
}

export interface IndexInfo extends OnTable {
  readonly definition: string;
  readonly comment: string | null;
}

export interface TriggerInfo extends OnTable {
  readonly definition: string;
  /** O enabled, D disabled, R replica, A always. */
  readonly enabled: 'O' | 'D' | 'R' | 'A';
  readonly comment: string | null;
}

export interface PolicyInfo extends OnTable {
  readonly permissive: boolean;
  /** r select, a insert, w update, d delete, * all. */
  readonly command: 'r' | 'a' | 'w' | 'd' | '*';
  /** 'public' for PUBLIC. */
  readonly roles: readonly string[];
  readonly using: string | null;
  readonly check: string | null;
}

export interface PublicationInfo {
  readonly name: string;
  readonly allTables: boolean;
  readonly publish: readonly string[];
  readonly tables: ReadonlyArray<{ readonly schema: string; readonly table: string }>;
}

export interface DefaultAclInfo {
  readonly role: string;
  /** null: every schema. */
  readonly schema: string | null;
  /** r tables, S sequences, f functions, T types, n schemas. */
  readonly kind: 'r' | 'S' | 'f' | 'T' | 'n';
  readonly acl: readonly AclEntry[];
}

/** `from` must be created after `to`. */
export interface Dependency {
  readonly from: NodeKey;
  readonly to: NodeKey;
}

/** A table whose rows move, in the order they are loaded. */
export interface DataTable {
  readonly schema: string;
  readonly table: string;
  /** Every column but generated ones, in order, and their types. */
  readonly columns: readonly string[];
  readonly types: readonly string[];
  /** Auth's tables are written as their owner (scope.ts AUTH_OWNER). */
  readonly auth: boolean;
  readonly rows: number;
}

/** Something the source holds that a dump does not carry. */
export interface Unsupported {
  readonly what: string;
  /** Holds rows: moving without it would lose data, so the dump stops. */
  readonly data: boolean;
}

export interface Catalog {
  /** The role that made the project's objects on the source (owner of most of them). */
  readonly admin: string;
  readonly serverVersion: string;
  /** The source's bootstrap version: the target's must be at least as new. */
  readonly bootstrapVersion: number;
  readonly schemas: readonly SchemaInfo[];
  readonly extensions: readonly ExtensionInfo[];
  readonly types: readonly TypeInfo[];
  readonly sequences: readonly SequenceInfo[];
  readonly relations: readonly RelationInfo[];
  readonly functions: readonly FunctionInfo[];
  readonly constraints: readonly ConstraintInfo[];
  readonly indexes: readonly IndexInfo[];
  readonly triggers: readonly TriggerInfo[];
  readonly policies: readonly PolicyInfo[];
  readonly publications: readonly PublicationInfo[];
  readonly defaultAcls: readonly DefaultAclInfo[];
  readonly dependencies: readonly Dependency[];
  readonly data: readonly DataTable[];
  /** Sequences whose position moves: the project's and those of Auth's tables. */
  readonly sequenceValues: ReadonlyArray<{ readonly schema: string; readonly name: string; readonly value: string; readonly called: boolean }>;
  readonly unsupported: readonly Unsupported[];
  /** Roles the project's objects name (owners, grantees, policies): the target needs them. */
  readonly roles: readonly string[];
}
