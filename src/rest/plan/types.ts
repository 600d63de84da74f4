// Stage 2's output: the request resolved against the schema cache. Every name here is
// known to exist (or, for read columns, is left for PostgreSQL to check, as PostgREST does).
import type { Column, Relation, RoutineInfo } from '../../schema-cache/types.ts';
import type { AggregateFn, FieldRef, OpExpr } from '../request/types.ts';
import type { Relationship } from './relationships.ts';

export type OutputField =
  | { readonly kind: 'star' }
  | {
      readonly kind: 'column';
      readonly field: FieldRef;
      /** The column is json/jsonb (a JSON path applies directly) or unknown to the cache. */
      readonly jsonColumn: boolean;
      readonly key: string;
      readonly cast: string | undefined;
      readonly aggregate: { readonly fn: AggregateFn; readonly cast: string | undefined } | undefined;
    }
  | { readonly kind: 'count'; readonly key: string; readonly cast: string | undefined };

export type Condition =
  | { readonly kind: 'filter'; readonly field: FieldRef; readonly expr: OpExpr; readonly column: Column | undefined }
  | { readonly kind: 'logic'; readonly op: 'and' | 'or'; readonly negated: boolean; readonly children: readonly Condition[] }
  /** `embed=is.null` / `embed=not.is.null`: parents without / with a related row. */
  | { readonly kind: 'embed-null'; readonly lateral: string; readonly toOne: boolean; readonly isNull: boolean };

export interface OrderItem {
  /** The alias of the level whose column orders (this node, or a to-one embed's lateral). */
  readonly alias: string;
  readonly field: FieldRef;
  readonly jsonColumn: boolean;
  readonly direction: 'asc' | 'desc' | undefined;
  readonly nulls: 'first' | 'last' | undefined;
}

export interface ReadNode {
  /** The rows' shape: a table or view, or a function's return type. */
  readonly relation: Relation;
  /** SQL alias of this level's rows. */
  readonly alias: string;
  readonly fields: readonly OutputField[];
  readonly embeds: readonly EmbedNode[];
  readonly conditions: readonly Condition[];
  readonly order: readonly OrderItem[];
  readonly limit: number | undefined;
  readonly offset: number | undefined;
}

export interface EmbedNode {
  readonly key: string;
  readonly relationship: Relationship;
  readonly join: 'inner' | 'left';
  readonly spread: boolean;
  /** `rel()`: joined (for filtering) but left out of the output. */
  readonly hidden: boolean;
  readonly lateral: string;
  readonly child: ReadNode;
}

export type Handler = 'array' | 'object' | 'csv' | 'geojson' | 'plan';

export interface Negotiated {
  readonly handler: Handler;
  readonly stripNulls: boolean;
  /** Content-Type of a successful response. */
  readonly contentType: string;
  /** For `plan`: the handler being explained and EXPLAIN options. */
  readonly plan?: { readonly format: 'text' | 'json'; readonly for: Handler; readonly options: readonly string[] };
}

export type { Column, Relation, RoutineInfo };

/** How a write answers: what Prefer return asked for, and what the status and Location need. */
export interface WriteRender {
  readonly returnPref: 'minimal' | 'headers-only' | 'representation';
  /** Upserts with merge-duplicates answer 200 when nothing was inserted. */
  readonly mergeDuplicates: boolean;
  readonly primaryKey: readonly string[];
  readonly table: string;
}
