// The parsed request: what the URL, headers and body ask for, before the schema cache is
// consulted. Produced by the pure parsers in this folder; consumed by the planner.

/** One step of a JSON path: `->key`, `->>key`, `->0`. */
export interface JsonStep {
  readonly arrow: '->' | '->>';
  readonly key: string | number;
}

export interface FieldRef {
  readonly name: string;
  readonly jsonPath: readonly JsonStep[];
}

export type AggregateFn = 'sum' | 'avg' | 'count' | 'max' | 'min';

export type SelectItem =
  | { readonly kind: 'star' }
  | {
      readonly kind: 'field';
      readonly field: FieldRef;
      readonly alias: string | undefined;
      readonly cast: string | undefined;
      readonly aggregate: { readonly fn: AggregateFn; readonly cast: string | undefined } | undefined;
    }
  | { readonly kind: 'count'; readonly alias: string | undefined; readonly cast: string | undefined }
  | {
      readonly kind: 'embed';
      readonly name: string;
      readonly alias: string | undefined;
      readonly hint: string | undefined;
      readonly join: 'inner' | 'left' | undefined;
      readonly spread: boolean;
      readonly select: readonly SelectItem[];
    };

export type Operator =
  | 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'like' | 'ilike' | 'match' | 'imatch'
  | 'in' | 'is' | 'isdistinct' | 'fts' | 'plfts' | 'phfts' | 'wfts'
  | 'cs' | 'cd' | 'ov' | 'sl' | 'sr' | 'nxr' | 'nxl' | 'adj';

export type IsValue = 'null' | 'not_null' | 'true' | 'false' | 'unknown';

export type OpExpr =
  | { readonly negated: boolean; readonly op: 'in'; readonly values: readonly string[] }
  | { readonly negated: boolean; readonly op: 'is'; readonly value: IsValue }
  | { readonly negated: boolean; readonly op: 'fts' | 'plfts' | 'phfts' | 'wfts'; readonly language: string | undefined; readonly value: string }
  | {
      readonly negated: boolean;
      readonly op: Exclude<Operator, 'in' | 'is' | 'fts' | 'plfts' | 'phfts' | 'wfts'>;
      readonly quantifier: 'any' | 'all' | undefined;
      readonly value: string;
    };

export interface Filter {
  readonly kind: 'filter';
  readonly field: FieldRef;
  readonly expr: OpExpr;
}

export interface LogicTree {
  readonly kind: 'logic';
  readonly op: 'and' | 'or';
  readonly negated: boolean;
  readonly children: readonly (Filter | LogicTree)[];
}

export interface OrderTerm {
  readonly field: FieldRef;
  /** Set for `rel(col)`: ordering by a column of a to-one embed. */
  readonly relation: string | undefined;
  readonly direction: 'asc' | 'desc' | undefined;
  readonly nulls: 'first' | 'last' | undefined;
}
