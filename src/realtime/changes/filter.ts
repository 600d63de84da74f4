// Filters of postgres_changes subscriptions (Realtime `filter` strings): parse, type against the
// table's columns, evaluate per changed row. Split in three files to keep each one readable.
export { parseFilter, type Condition, type FilterOp, type Parsed } from './filter-parse.ts';
export { matches, typeConditions, type CompareOp, type Key, type LikeToken, type Test, type TypedCondition } from './filter-eval.ts';
